//! `cargo xtask spec-sync platform-<version> --from <local copy>`: MX's
//! Platform specs are raw OpenAPI documents (no doc pages), one per
//! version, named `v20111101.yml` and `v20250224.yml`. Synced offline into
//! a temporary workspace root.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// One Platform version: its spec file's stem and its operation count.
const VERSIONS: [(&str, usize); 2] = [("v20111101", 166), ("v20250224", 169)];

/// A root holding `specs/platform/` without the version's spec (its
/// overlay and upstream file only), and a local copy of the vendored spec
/// beside it.
struct Root {
    dir: PathBuf,
    copy: PathBuf,
    version: &'static str,
}

impl Root {
    fn new(name: &str, version: &'static str) -> Root {
        let dir = std::env::temp_dir().join(format!(
            "mx-spec-sync-platform-{name}-{version}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let to = dir.join("specs/platform");
        std::fs::create_dir_all(&to).unwrap();
        for f in ["overlay.yaml", "upstream.txt"] {
            let f = format!("{version}.{f}");
            std::fs::copy(workspace().join("specs/platform").join(&f), to.join(&f)).unwrap();
        }
        let copy = dir.join(format!("local-{version}.yml"));
        std::fs::copy(workspace().join(spec(version)), &copy).unwrap();
        Root { dir, copy, version }
    }

    fn sync(&self, extra: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["spec-sync", &format!("platform-{}", self.version), "--root"])
            .arg(&self.dir)
            .arg("--from")
            .arg(&self.copy)
            .args(extra)
            .output()
            .unwrap()
    }

    fn synced(&self) -> String {
        std::fs::read_to_string(self.dir.join(spec(self.version))).unwrap()
    }
}

fn spec(version: &str) -> String {
    format!("specs/platform/{version}.yml")
}

impl Drop for Root {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn operations(yaml: &str) -> usize {
    let doc: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    let methods = [
        "get", "put", "post", "delete", "patch", "head", "options", "trace",
    ];
    doc["paths"]
        .as_mapping()
        .unwrap()
        .values()
        .flat_map(|item| item.as_mapping().unwrap().keys())
        .filter(|k| k.as_str().is_some_and(|m| methods.contains(&m)))
        .count()
}

#[test]
fn a_local_copy_syncs_to_the_vendored_spec_of_each_version() {
    for (version, count) in VERSIONS {
        let root = Root::new("copy", version);
        let o = root.sync(&[]);
        assert!(o.status.success(), "{}", text(&o));
        assert!(
            text(&o).contains(&format!("wrote {}", spec(version))),
            "{}",
            text(&o)
        );
        let synced = root.synced();
        assert_eq!(operations(&synced), count, "{version}");
        // Canonical output of the vendored spec is the vendored spec.
        assert_eq!(
            synced,
            std::fs::read_to_string(workspace().join(spec(version))).unwrap()
        );
        let again = root.sync(&[]);
        assert!(again.status.success(), "{}", text(&again));
        assert!(text(&again).contains("is up to date"), "{}", text(&again));
    }
}

#[test]
fn a_changed_copy_is_reported_by_check_and_written_by_sync() {
    let root = Root::new("changed", "v20250224");
    assert!(root.sync(&[]).status.success());
    let before = root.synced();
    let mut doc: serde_yaml::Value = serde_yaml::from_str(&before).unwrap();
    doc["components"]["schemas"]["MemberResponse"]["properties"]["added_by_mx"] =
        serde_yaml::from_str("{type: string, nullable: true}").unwrap();
    std::fs::write(&root.copy, serde_yaml::to_string(&doc).unwrap()).unwrap();

    let check = root.sync(&["--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    assert!(text(&check).contains("added_by_mx"), "{}", text(&check));
    assert_eq!(root.synced(), before, "--check writes nothing");

    let o = root.sync(&[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(root.synced().contains("added_by_mx"));
    assert_eq!(operations(&root.synced()), 169);
}

#[test]
fn a_copy_that_does_not_generate_leaves_the_spec_as_it_was() {
    let root = Root::new("broken", "v20111101");
    assert!(root.sync(&[]).status.success());
    let before = root.synced();
    // An operation whose path parameter is not declared.
    let broken = std::fs::read_to_string(&root.copy).unwrap().replacen(
        "/users/{user_guid}:",
        "/users/{user_guid}/{nope}:",
        1,
    );
    std::fs::write(&root.copy, broken).unwrap();
    let o = root.sync(&[]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("nope"), "{}", text(&o));
    assert_eq!(root.synced(), before);
}
