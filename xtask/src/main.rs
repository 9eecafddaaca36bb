//! `cargo xtask …`: the project's maintenance commands, in plain Rust.

mod bench;
mod features_cost;
mod generate;
mod instructions;
mod package;
mod sim_throughput;
mod sync;
mod upstream;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "mx-client maintenance commands")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the generation pipeline. With SPEC: print (or write with -o) the
    /// Rust it generates. Without: rewrite the golden files
    /// tests/golden/API.rs from specs/; with --check, fail if they differ.
    Generate {
        /// Any OpenAPI 3.0 spec file.
        spec: Option<PathBuf>,
        /// Write the code here instead of printing it.
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// Change nothing; fail if a file would change.
        #[arg(long)]
        check: bool,
    },
    /// Print the benchmark tables (ratios first) from target/criterion;
    /// run `cargo bench` before.
    BenchReport,
    /// Count the instructions of one create-member request, generated and
    /// hand-written, under valgrind's callgrind (the requests bench's
    /// `MX_BENCH_COUNT` mode); the ratios go to bench-report.
    BenchInstructions,
    /// Measure build cost on a warm target: touching a spec vs touching
    /// src/lib.rs, a no-change build, the dependency count.
    BenchBuild {
        /// Builds per measurement.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Also time N (default 1) clean builds of the library and of a
        /// hand-written reqwest + serde client, alternating, in fresh
        /// target directories.
        #[arg(long, num_args = 0..=1, default_missing_value = "1", value_name = "N")]
        clean: Option<usize>,
    },
    /// Measure what each API feature adds to a debug build of the library
    /// (`cargo clean -p mx-client`, then a build with only that feature, on
    /// built dependencies), here and at an earlier commit in the same run.
    BenchFeatures {
        /// Builds per feature set.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Also measure this commit (extracted under target/bench-features).
        #[arg(long, value_name = "REV")]
        against: Option<String>,
    },
    /// Measure the simulator's throughput here and at an earlier commit in
    /// one run: both built (release) and started, one bench driving both.
    BenchSim {
        /// The commit to compare with (extracted under target/bench-sim).
        #[arg(long, value_name = "REV")]
        against: String,
    },
    /// Prove that an upstream-style spec change (a new nullable response
    /// field, a new operation with its own schema, a new enum value in every
    /// API) still builds the whole workspace, and that the changed
    /// simulator serves it: on a temporary copy of the workspace.
    UpstreamCheck {
        /// Keep the changed copy (its path is printed).
        #[arg(long)]
        keep: bool,
    },
    /// Package every library crate (`cargo package`, each verified from its
    /// package), then build and test a consumer outside the workspace
    /// against the packaged crates: a member created with Atrium and with
    /// the Platform API against the packaged simulator.
    PackageCheck,
    /// Refresh the vendored specs from MX's docs (or --from sources):
    /// merged, canonical, validated by the pipeline, written atomically.
    SpecSync {
        /// nexus, atrium, platform-v20111101, platform-v20250224, or all.
        #[arg(default_value = "all", value_parser = ["nexus", "atrium", "platform-v20111101", "platform-v20250224", "all"])]
        api: String,
        /// A URL, file or folder to read instead of specs/API/upstream.txt
        /// (repeatable: all of them make one spec).
        #[arg(long)]
        from: Vec<String>,
        /// Print what changed; exit 1 if upstream differs; write nothing.
        #[arg(long)]
        check: bool,
        /// Print what changed; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The workspace whose specs/ to sync (default: this one).
        #[arg(long, hide = true)]
        root: Option<PathBuf>,
    },
}

/// The workspace root, whatever directory `cargo xtask` runs from.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_path_buf()
}

/// A `reqwest` client builder with TLS ready: rustls with ring (no aws-lc
/// C build), whose provider is installed once here.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    static TLS: std::sync::Once = std::sync::Once::new();
    TLS.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate { spec, out, check } => generate::run(spec, out, check),
        Command::BenchReport => bench::report(),
        Command::BenchInstructions => instructions::run(),
        Command::BenchBuild { runs, clean } => bench::build(runs, clean),
        Command::BenchFeatures { runs, against } => features_cost::run(runs, against),
        Command::BenchSim { against } => sim_throughput::run(&against),
        Command::UpstreamCheck { keep } => upstream::run(keep),
        Command::PackageCheck => package::run(),
        Command::SpecSync {
            api,
            from,
            check,
            dry_run,
            root: dir,
        } => {
            let opts = sync::Options {
                api,
                from,
                check,
                dry_run,
                root: dir.unwrap_or_else(root),
            };
            match sync::run(&opts) {
                Ok(sync::Outcome::Changed) if check => return ExitCode::from(1),
                Ok(_) => Ok(()),
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
