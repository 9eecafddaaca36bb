//! The generator's panics are silenced only on the thread that renders:
//! renders on parallel threads (as `cargo test` runs them) never leave the
//! process without panic output.

use std::path::{Path, PathBuf};
use std::process::Command;

use mx_codegen::Config;

const CHILD: &str = "MX_CODEGEN_PANIC_HOOK_CHILD";
const MARKER: &str = "a panic after the renders, which must print";

/// A one-operation spec; `broken` makes progenitor panic (`todo!` on a
/// request media type with an `encoding`) after the normalizer accepts it.
fn spec(broken: bool) -> String {
    let encoding = if broken {
        "\n              encoding: {amount: {contentType: text/plain}}"
    } else {
        ""
    };
    format!(
        "openapi: 3.0.3\ninfo: {{title: Hook, version: '1'}}\nservers: [{{url: 'https://example.com'}}]\n\
         security: [{{key: []}}]\npaths:\n  /things:\n    post:\n      operationId: create_thing\n\
         \x20     requestBody:\n          content:\n            application/json:\n\
         \x20             schema: {{$ref: '#/components/schemas/Thing'}}{encoding}\n\
         \x20     responses:\n        '200':\n          description: OK\n          content:\n\
         \x20           application/json:\n              schema: {{$ref: '#/components/schemas/Thing'}}\n\
         components:\n  securitySchemes:\n    key: {{type: apiKey, in: header, name: X-Key}}\n  schemas:\n\
         \x20   Thing:\n      type: object\n      properties:\n        amount: {{type: integer}}\n"
    )
}

fn write_specs() -> (PathBuf, PathBuf) {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("panic-hook-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.yaml");
    let broken = dir.join("broken.yaml");
    std::fs::write(&good, spec(false)).unwrap();
    std::fs::write(&broken, spec(true)).unwrap();
    (good, broken)
}

/// Run as a child process only: renders on 8 threads at once, half of them
/// through a generator panic, then panics itself.
#[test]
fn child_renders_in_parallel_then_panics() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let (good, broken) = write_specs();
    std::thread::scope(|s| {
        for t in 0..8 {
            let (good, broken) = (&good, &broken);
            s.spawn(move || {
                for _ in 0..4 {
                    if t % 2 == 0 {
                        let r = Config::new().render(good).unwrap();
                        assert_eq!(r.wire.operations.len(), 1);
                    } else {
                        let e = Config::new().render(broken).err();
                        let e = e.map(|e| e.to_string()).unwrap_or_default();
                        assert!(
                            e.contains("media type encoding not empty"),
                            "the generator's panic is reported as an error: {e}"
                        );
                    }
                }
            });
        }
    });
    panic!("{MARKER}");
}

#[test]
fn a_panic_after_parallel_renders_still_prints() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "child_renders_in_parallel_then_panics",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the child test must fail: {stderr}");
    assert!(
        stderr.contains(MARKER),
        "the panic after the renders printed nothing:\n{stderr}"
    );
    // The generator's own panics stayed silent (they became errors).
    assert!(
        !stderr.contains("panicked at") || stderr.matches("panicked at").count() == 1,
        "a render's panic printed:\n{stderr}"
    );
}
