//! Golden files of the generated code, as progenitor tests itself: the code
//! build.rs generated from `specs/` must equal `tests/golden/<api>.rs`, so a
//! reviewer sees every API change a spec change makes.
//!
//! After an intended spec change: `MX_UPDATE_GOLDEN=1 cargo test --test it golden`.

use std::path::Path;

fn check(api: &str) {
    let generated = Path::new(env!("OUT_DIR")).join(format!("{api}.rs"));
    let generated = std::fs::read_to_string(&generated)
        .unwrap_or_else(|e| panic!("build.rs wrote no {}: {e}", generated.display()));
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{api}.rs"));
    if std::env::var_os("MX_UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &generated).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    if expected != generated {
        let first = expected
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(generated.lines().count()));
        panic!(
            "the code generated for {api} from specs/ differs from {} (first at line {}):\n  golden:    {:?}\n  generated: {:?}\n\
             If the spec change is intended, run `MX_UPDATE_GOLDEN=1 cargo test --test it golden` and commit the golden file.",
            golden.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("<end of file>"),
            generated.lines().nth(first).unwrap_or("<end of file>"),
        );
    }
}

#[cfg(feature = "nexus")]
#[test]
fn nexus_matches_golden() {
    check("nexus");
}

#[cfg(feature = "atrium")]
#[test]
fn atrium_matches_golden() {
    check("atrium");
}

#[cfg(feature = "platform-v20111101")]
#[test]
fn platform_v20111101_matches_golden() {
    check("platform_v20111101");
}

#[cfg(feature = "platform-v20250224")]
#[test]
fn platform_v20250224_matches_golden() {
    check("platform_v20250224");
}
