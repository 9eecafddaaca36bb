//! `cargo xtask bench-sim --against REV`: the simulator's throughput here
//! and at an earlier commit, in one run: both simulators' binaries are
//! built (release), started on loopback ports, and the same criterion
//! bench (`benches/simulator.rs`, the generated Atrium client) drives both,
//! interleaved per client count (`MX_BENCH_SIMS`).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::bench::cargo;
use crate::features_cost::extract;

/// A simulator process, stopped when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free loopback port.
fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// Builds `mx-sim` (release) in the workspace at `root` with `target`, and
/// starts it on a free port; answers the process and its base URL.
fn start(root: &Path, target: &Path) -> Result<(Running, String), String> {
    let target_s = target.to_str().ok_or("a non-UTF-8 target directory")?;
    cargo(
        root,
        &[
            "build",
            "--release",
            "-p",
            "mx-sim",
            "--bin",
            "mx-sim",
            "--target-dir",
            target_s,
        ],
    )?;
    let port = free_port()?;
    let child = Command::new(target.join("release/mx-sim"))
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the simulator of {}: {e}", root.display()))?;
    let running = Running(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(format!(
                "the simulator of {} did not listen",
                root.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok((running, format!("http://127.0.0.1:{port}/atrium")))
}

/// The throughput of this checkout's simulator and `against`'s, one bench
/// run driving both.
pub fn run(against: &str) -> Result<(), String> {
    let root = crate::root();
    let scratch = root.join("target/bench-sim");
    let old = scratch.join(format!("at-{against}"));
    extract(&root, against, &old)?;
    println!("building and starting the simulator at {against} and this one…");
    let (_before, before_url) = start(&old, &scratch.join(format!("target-{against}")))?;
    let (_after, after_url) = start(&root, &root.join("target"))?;
    let sims = format!("before={before_url},after={after_url}");
    println!("cargo bench --bench simulator with MX_BENCH_SIMS={sims}");
    let status = Command::new(env!("CARGO"))
        .args(["bench", "--bench", "simulator"])
        .current_dir(&root)
        .env("MX_BENCH_SIMS", &sims)
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err("cargo bench --bench simulator failed".into());
    }
    println!("\nthe figures: cargo xtask bench-report (simulator rows: before, after)");
    Ok(())
}
