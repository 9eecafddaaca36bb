//! `cargo xtask bench-instructions`: the instructions one create-member
//! request costs, generated against hand-written, counted by valgrind's
//! callgrind. A count does not move with the machine's speed or load (the
//! same binary and input give the same count), so the ratio shows a change
//! of a few hundred instructions that a timed round trip on this machine
//! cannot. Client and server run on one thread in one process: the counts
//! include the server's work, which is the same on both sides, so the
//! ratio is of the whole round trip.

use std::path::{Path, PathBuf};
use std::process::Command;

/// (comparison, generated call, baseline call) as the requests bench names
/// its calls (`MX_BENCH_COUNT`).
const COMPARISONS: &[(&str, &str, &str)] = &[
    ("create_member_nexus", "nexus_generated", "nexus_baseline"),
    (
        "create_member_atrium",
        "atrium_generated",
        "atrium_baseline",
    ),
    (
        "create_member_platform",
        "platform_generated",
        "platform_baseline",
    ),
    ("create_member_nexus_hooks", "nexus_hooks", "nexus_baseline"),
    (
        "create_member_nexus_against_same_types",
        "nexus_generated",
        "nexus_same_types",
    ),
    (
        "create_member_platform_against_same_types",
        "platform_generated",
        "platform_same_types",
    ),
];

/// Requests per counted run: the difference of two runs is the cost of
/// `MORE - FEW` requests, the setup cancelling out.
const FEW: usize = 100;
const MORE: usize = 300;

pub fn run() -> Result<(), String> {
    let root = crate::root();
    let bench = build_bench(&root)?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let scratch = target.join("callgrind");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let mut rows = Vec::new();
    println!("| round trip | generated / baseline (instructions) | generated | baseline |");
    println!("|---|---|---|---|");
    // Each call is counted once, whatever it is compared with.
    let mut counted = std::collections::HashMap::new();
    let mut per_call = |call: &'static str| -> Result<f64, String> {
        if let Some(&n) = counted.get(call) {
            return Ok(n);
        }
        let n = per_request(&bench, call, &scratch)?;
        counted.insert(call, n);
        Ok(n)
    };
    for &(name, generated, baseline) in COMPARISONS {
        let g = per_call(generated)?;
        let b = per_call(baseline)?;
        println!("| {name} | {:.4} | {g:.0} | {b:.0} |", g / b);
        rows.push(format!(
            r#""{name}": {{"ratio": {}, "generated": {g}, "baseline": {b}}}"#,
            g / b
        ));
    }
    let out = target.join("criterion/paired");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let file = out.join("instructions.json");
    std::fs::write(&file, format!("{{{}}}\n", rows.join(", ")))
        .map_err(|e| format!("{}: {e}", file.display()))?;
    println!("\nwritten to {}", file.display());
    Ok(())
}

/// Builds the requests bench (release, with the Platform API) and returns
/// its executable.
fn build_bench(root: &Path) -> Result<PathBuf, String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "bench",
            "--features",
            "platform",
            "--bench",
            "requests",
            "--no-run",
            "--message-format=json",
        ])
        .output()
        .map_err(|e| format!("cargo bench: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`cargo bench --features platform --bench requests --no-run` failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_yaml::from_str::<serde_yaml::Value>(l).ok())
        .filter(|v| v["target"]["name"].as_str() == Some("requests"))
        .find_map(|v| v["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo did not name the requests bench's executable".to_string())
}

/// The instructions of one request of `call`: (count(MORE) - count(FEW)) /
/// (MORE - FEW).
fn per_request(bench: &Path, call: &str, scratch: &Path) -> Result<f64, String> {
    let few = count(bench, call, FEW, scratch)?;
    let more = count(bench, call, MORE, scratch)?;
    Ok((more - few) as f64 / (MORE - FEW) as f64)
}

/// The instructions of a run of `n` requests of `call`.
fn count(bench: &Path, call: &str, n: usize, scratch: &Path) -> Result<u64, String> {
    let file = scratch.join(format!("{call}.{n}.out"));
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", file.display()))
        .arg(bench)
        .env("MX_BENCH_COUNT", format!("{call}:{n}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| {
            format!("valgrind: {e} (install it, e.g. `apt-get install valgrind`, and run `cargo xtask bench-instructions` again)")
        })?;
    if !status.success() {
        return Err(format!(
            "valgrind --tool=callgrind on `MX_BENCH_COUNT={call}:{n}` failed ({status})"
        ));
    }
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    text.lines()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })
        .and_then(|t| t.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("{}: no instruction total", file.display()))
}
