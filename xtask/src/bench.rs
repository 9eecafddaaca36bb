//! `cargo xtask bench-report` and `cargo xtask bench-build`: the figures of
//! BENCHMARKS.md, as ratios against baselines measured in the same run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Criterion's estimate of one benchmark: the median and its 95% interval,
/// in nanoseconds.
struct Estimate {
    median: f64,
    low: f64,
    high: f64,
}

fn estimate(dir: &Path) -> Option<Estimate> {
    let text = std::fs::read_to_string(dir.join("new/estimates.json")).ok()?;
    let v: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
    let m = v.get("median")?;
    let ci = m.get("confidence_interval")?;
    Some(Estimate {
        median: m.get("point_estimate")?.as_f64()?,
        low: ci.get("lower_bound")?.as_f64()?,
        high: ci.get("upper_bound")?.as_f64()?,
    })
}

fn human(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn spread(e: &Estimate) -> String {
    format!("{} [{} – {}]", human(e.median), human(e.low), human(e.high))
}

/// The number `v[key]` (NaN when missing).
fn number(v: &serde_yaml::Value, key: &str) -> f64 {
    v.get(key)
        .and_then(serde_yaml::Value::as_f64)
        .unwrap_or(f64::NAN)
}

/// Prints the ratio tables from `target/criterion` (run `cargo bench` first).
pub fn report() -> Result<(), String> {
    // Where criterion writes: under `$CARGO_TARGET_DIR` when it is set.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"));
    let dir = target.join("criterion");
    if !dir.is_dir() {
        return Err("no benchmark results: run `cargo bench` first".into());
    }
    println!("| comparison | generated / baseline | generated (median [95% CI]) | baseline |");
    println!("|---|---|---|---|");
    for group in [
        "create_member_nexus",
        "create_member_atrium",
        "create_member_platform",
        "encode_member_request",
        "decode_member_response",
        "decode_atrium_member_response",
    ] {
        let (Some(g), Some(b)) = (
            estimate(&dir.join(group).join("generated")),
            estimate(&dir.join(group).join("baseline")),
        ) else {
            println!("| {group} | (not run) | | |");
            continue;
        };
        println!(
            "| {group} | {:.3} | {} | {} |",
            g.median / b.median,
            spread(&g),
            spread(&b)
        );
    }
    // The paired, interleaved ratios of the round trips (robust to a
    // machine whose speed drifts during the run), and the instruction
    // counts of `cargo xtask bench-instructions`.
    let paired = dir.join("paired");
    if paired.is_dir() {
        println!(
            "\n| round trip, paired request by request | generated / baseline, two threads (block range) | baseline round trip | one thread (block range) | baseline round trip |"
        );
        println!("|---|---|---|---|---|");
        let read = |file: &str| -> Option<serde_yaml::Value> {
            let text = std::fs::read_to_string(paired.join(file)).ok()?;
            serde_yaml::from_str(&text).ok()
        };
        // Whatever comparisons the bench wrote (its list is the one list),
        // the control last.
        let mut names: Vec<String> = std::fs::read_dir(&paired)
            .map_err(|e| format!("{}: {e}", paired.display()))?
            .filter_map(|entry| {
                let name = entry.ok()?.file_name().into_string().ok()?;
                let name = name.strip_suffix(".json")?.to_string();
                (name != "instructions").then_some(name)
            })
            .collect();
        names.sort_by_key(|n| (n == "baseline_against_itself", n.clone()));
        for name in &names {
            // Files of an older bench (a stale target) lack the one-thread
            // figures: skipped.
            let Some(v) =
                read(&format!("{name}.json")).filter(|v| v.get("one_thread_median").is_some())
            else {
                continue;
            };
            let f = |k: &str| number(&v, k);
            println!(
                "| {name} | {:.3} ({:.3} – {:.3}) | {} | {:.3} ({:.3} – {:.3}) | {} |",
                f("median"),
                f("low"),
                f("high"),
                human(f("baseline_ns")),
                f("one_thread_median"),
                f("one_thread_low"),
                f("one_thread_high"),
                human(f("one_thread_baseline_ns")),
            );
        }
        if let Some(v) = read("instructions.json") {
            println!("\n| round trip, instructions (callgrind) | generated / baseline | generated | baseline |");
            println!("|---|---|---|---|");
            let rows = v.as_mapping().into_iter().flatten();
            for (name, row) in rows {
                let name = name.as_str().unwrap_or("?");
                let f = |k: &str| number(row, k);
                println!(
                    "| {name} | {:.4} | {:.0} | {:.0} |",
                    f("ratio"),
                    f("generated"),
                    f("baseline")
                );
            }
        }
    }
    println!();
    println!("| pipeline input | time (median [95% CI]) | per operation |");
    println!("|---|---|---|");
    for name in ["nexus", "atrium"] {
        if let Some(e) = estimate(&dir.join("pipeline_vendored").join(name)) {
            let ops = if name == "nexus" { 1.0 } else { 48.0 };
            println!(
                "| {name} spec ({ops} ops) | {} | {} |",
                spread(&e),
                human(e.median / ops)
            );
        }
    }
    let mut synthetic = Vec::new();
    for n in [10u32, 100, 1000] {
        if let Some(e) = estimate(&dir.join("pipeline_synthetic").join(n.to_string())) {
            println!(
                "| synthetic, {n} ops | {} | {} |",
                spread(&e),
                human(e.median / f64::from(n))
            );
            synthetic.push((n, e.median));
        }
    }
    if let (Some((_, t100)), Some((_, t1000))) = (
        synthetic.iter().find(|(n, _)| *n == 100),
        synthetic.iter().find(|(n, _)| *n == 1000),
    ) {
        println!("\nt(1000)/t(100) = {:.2} (linear: 10)", t1000 / t100);
    }
    println!();
    simulator_rows(&dir.join("simulator_create_then_read"));
    Ok(())
}

/// The simulator bench's rows: requests/s per simulator the bench drove
/// (its id's first part: `mx-sim`, or `before` and `after` of `cargo
/// xtask bench-sim`) and client count, with after / before when both ran.
fn simulator_rows(group: &Path) {
    let mut names: Vec<String> = std::fs::read_dir(group)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir() && e.file_name() != "report")
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    println!();
    println!(
        "| simulator | concurrent clients | requests/s (median) | iteration (median [95% CI]) |"
    );
    println!("|---|---|---|---|");
    let rps = |name: &str, n: u32| {
        estimate(&group.join(name).join(n.to_string()))
            .map(|e| (f64::from(3 * n) / (e.median / 1e9), e))
    };
    for n in [1u32, 8, 64] {
        for name in &names {
            if let Some((r, e)) = rps(name, n) {
                println!("| {name} | {n} | {r:.0} | {} |", spread(&e));
            }
        }
        if let (Some((before, _)), Some((after, _))) = (rps("before", n), rps("after", n)) {
            println!("| after / before | {n} | **{:.3}** | |", after / before);
        }
    }
}

pub(crate) fn cargo(root: &Path, args: &[&str]) -> Result<(Duration, String), String> {
    let started = Instant::now();
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let elapsed = started.elapsed();
    let text =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("`cargo {}` failed:\n{text}", args.join(" ")));
    }
    Ok((elapsed, text))
}

fn touch(path: &Path) -> Result<(), String> {
    let f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    f.set_modified(std::time::SystemTime::now())
        .map_err(|e| format!("{}: {e}", path.display()))
}

pub(crate) fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// `median s (min – max)` of a set of runs.
pub(crate) fn summary(v: &[Duration]) -> String {
    let secs = |d: &Duration| d.as_secs_f64();
    let min = v.iter().map(secs).fold(f64::INFINITY, f64::min);
    let max = v.iter().map(secs).fold(0.0, f64::max);
    format!(
        "{:.2} s ({min:.2} – {max:.2})",
        median(v.to_vec()).as_secs_f64()
    )
}

/// Build cost on a warm target, with the default features and with all
/// three APIs: after touching a spec vs after touching `src/lib.rs`, a
/// build with no change; the normal dependency count; and (with `clean`)
/// clean builds against the hand-written baseline.
pub fn build(runs: usize, clean: Option<usize>) -> Result<(), String> {
    let root = crate::root();
    // The default APIs (nexus, atrium), then all three (+ platform).
    for features in [&[][..], &["--all-features"][..]] {
        incremental(&root, runs, features)?;
    }
    let count = |extra: &[&str]| -> Result<usize, String> {
        let mut args = vec![
            "tree",
            "-p",
            "mx-client",
            "-e",
            "normal",
            "--prefix",
            "none",
        ];
        args.extend_from_slice(extra);
        let (_, tree) = cargo(&root, &args)?;
        let mut deps: Vec<&str> = tree
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with("mx-client "))
            .map(|l| l.trim_end_matches(" (*)"))
            .collect();
        deps.sort();
        deps.dedup();
        Ok(deps.len())
    };
    let (deps, all) = (count(&[])?, count(&["--all-features"])?);
    println!(
        "\nnormal dependencies of the library: {deps} with default features, {all} with --all-features"
    );

    if let Some(clean_runs) = clean {
        clean_builds(&root, clean_runs)?;
    }
    Ok(())
}

/// Touch a spec vs touch `src/lib.rs`, `runs` times each, with `features`.
fn incremental(root: &Path, runs: usize, features: &[&str]) -> Result<(), String> {
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "-p", "mx-client"];
        args.extend_from_slice(features);
        args.extend_from_slice(extra);
        cargo(root, &args)
    };
    let label = if features.is_empty() {
        "default features (nexus, atrium)"
    } else {
        "--all-features (nexus, atrium, platform)"
    };
    println!(
        "\nwarming the target (cargo build -p mx-client {})…",
        features.join(" ")
    );
    build(&[])?;
    let spec = root.join("specs/nexus/v1.yaml");
    let lib = root.join("src/lib.rs");
    let (mut after_spec, mut after_lib, mut unchanged) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        touch(&spec)?;
        after_spec.push(build(&[])?.0);
        touch(&lib)?;
        after_lib.push(build(&[])?.0);
        let (t, text) = build(&["-v"])?;
        if text.contains("Running `") || text.contains("Compiling ") {
            return Err(format!("a build with no change ran something:\n{text}"));
        }
        unchanged.push(t);
    }
    let (s, l) = (median(after_spec.clone()), median(after_lib.clone()));
    println!("| build on a warm target, {label}, {runs} runs | median (min – max) |");
    println!("|---|---|");
    println!(
        "| after touching specs/nexus/v1.yaml | {} |",
        summary(&after_spec)
    );
    println!("| after touching src/lib.rs | {} |", summary(&after_lib));
    println!(
        "| with no change (nothing reruns: checked) | {} |",
        summary(&unchanged)
    );
    println!(
        "\nspec / lib.rs = {:.2} (target ≤ 1.3)",
        s.as_secs_f64() / l.as_secs_f64()
    );
    Ok(())
}

/// The hand-written baseline of a clean build: a create-member client on
/// reqwest (default features) + serde + serde_json + tokio, with the
/// workspace's profile and pinned to the workspace's lock file.
const BASELINE_MANIFEST: &str = r#"[package]
name = "baseline-client"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
reqwest = { version = "0.13", features = ["json"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", features = ["time"] }

[profile.dev]
debug = "line-tables-only"

[workspace]
"#;

const BASELINE_LIB: &str = r#"//! A hand-written Atrium create-member client.
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
pub struct MemberCreateRequest { pub institution_code: String, pub is_oauth: Option<bool> }
#[derive(Serialize)]
pub struct MemberCreateRequestBody { pub member: MemberCreateRequest }
#[derive(Deserialize, Debug)]
pub struct Member { pub guid: Option<String>, pub connection_status: Option<String>, pub is_being_aggregated: Option<bool> }
#[derive(Deserialize, Debug)]
pub struct MemberResponseBody { pub member: Member }

pub struct Client { http: reqwest::Client, base: String, key: String, id: String }

impl Client {
    pub fn new(base: &str, key: &str, id: &str) -> reqwest::Result<Client> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Client { http, base: base.into(), key: key.into(), id: id.into() })
    }
    pub async fn create_member(&self, user: &str, body: &MemberCreateRequestBody) -> reqwest::Result<MemberResponseBody> {
        self.http
            .post(format!("{}/users/{user}/members", self.base))
            .header("Accept", "application/vnd.mx.atrium.v1+json")
            .header("Content-Type", "application/vnd.mx.atrium.v1+json")
            .header("MX-API-Key", &self.key)
            .header("MX-Client-ID", &self.id)
            .body(serde_json::to_vec(body).expect("serializable"))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
    }
}
"#;

/// Clean builds, in fresh target directories, of the library (default
/// features) and of the hand-written baseline, alternating, `runs` each.
fn clean_builds(root: &Path, runs: usize) -> Result<(), String> {
    let scratch = std::env::temp_dir().join(format!("mx-clean-build-{}", std::process::id()));
    let baseline = scratch.join("baseline");
    std::fs::create_dir_all(baseline.join("src")).map_err(|e| e.to_string())?;
    let write =
        |p: PathBuf, s: &str| std::fs::write(&p, s).map_err(|e| format!("{}: {e}", p.display()));
    write(baseline.join("Cargo.toml"), BASELINE_MANIFEST)?;
    write(baseline.join("src/lib.rs"), BASELINE_LIB)?;
    std::fs::copy(root.join("Cargo.lock"), baseline.join("Cargo.lock"))
        .map_err(|e| e.to_string())?;
    let target = scratch.join("target");
    let target = target.to_str().ok_or("a non-UTF-8 temporary directory")?;
    let (mut lib, mut base) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        let _ = std::fs::remove_dir_all(target);
        lib.push(cargo(root, &["build", "-p", "mx-client", "--target-dir", target])?.0);
        let _ = std::fs::remove_dir_all(target);
        base.push(cargo(&baseline, &["build", "--target-dir", target])?.0);
    }
    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "
| clean build, fresh target dir, crates already downloaded, {} runs | median (min – max) |",
        runs.max(1)
    );
    println!("|---|---|");
    println!(
        "| `cargo build -p mx-client` (default features) | {} |",
        summary(&lib)
    );
    println!(
        "| hand-written reqwest + serde client (reqwest default features) | {} |",
        summary(&base)
    );
    println!(
        "\nlibrary / hand-written = {:.2} (target ≤ 1.2)",
        median(lib).as_secs_f64() / median(base).as_secs_f64()
    );
    Ok(())
}
