//! Generates the typed clients from `specs/` at compile time. All the work
//! is in the `mx-codegen` pipeline, which `cargo xtask` shares.

fn main() {
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    // One Cargo feature per API (`nexus`, `atrium`, `platform`): only the
    // enabled ones are generated.
    let result = mx_codegen::Config::mx_client()
        .retain_apis(|api| {
            std::env::var_os(format!("CARGO_FEATURE_{}", api.to_ascii_uppercase())).is_some()
        })
        .out_dir(out_dir)
        .emit_rerun_if_changed(true)
        .generate();
    // One line naming the file, the place and the fix; no panic, no
    // backtrace. `cargo::error` fails the build by itself; exiting 0 keeps
    // cargo from repeating the message as a failed command.
    if let Err(e) = result {
        println!("cargo::error={}", e.one_line());
    }
}
