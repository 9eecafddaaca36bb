//! `cargo xtask …`: the project's maintenance commands, in plain Rust.

mod generate;

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
}

/// The workspace root, whatever directory `cargo xtask` runs from.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_path_buf()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate { spec, out, check } => generate::run(spec, out, check),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
