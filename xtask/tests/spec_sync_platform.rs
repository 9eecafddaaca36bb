//! `cargo xtask spec-sync platform --from <local copy>`: MX's Platform spec
//! is a raw OpenAPI document (no doc pages), named `v20111101.yml`, not
//! `v1.yaml`. Synced offline into a temporary workspace root.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

const SPEC: &str = "specs/platform/v20111101.yml";

/// A root holding `specs/platform/` without its spec (the overlay and
/// upstream.txt only), and a local copy of the vendored spec beside it.
struct Root {
    dir: PathBuf,
    copy: PathBuf,
}

impl Root {
    fn new(name: &str) -> Root {
        let dir = std::env::temp_dir().join(format!(
            "mx-spec-sync-platform-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let to = dir.join("specs/platform");
        std::fs::create_dir_all(&to).unwrap();
        for f in ["overlay.yaml", "upstream.txt"] {
            std::fs::copy(workspace().join("specs/platform").join(f), to.join(f)).unwrap();
        }
        let copy = dir.join("local-v20111101.yml");
        std::fs::copy(workspace().join(SPEC), &copy).unwrap();
        Root { dir, copy }
    }

    fn sync(&self, extra: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["spec-sync", "platform", "--root"])
            .arg(&self.dir)
            .arg("--from")
            .arg(&self.copy)
            .args(extra)
            .output()
            .unwrap()
    }

    fn synced(&self) -> String {
        std::fs::read_to_string(self.dir.join(SPEC)).unwrap()
    }
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
fn a_local_copy_syncs_to_the_vendored_spec_with_166_operations() {
    let root = Root::new("copy");
    let o = root.sync(&[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("wrote specs/platform/v20111101.yml"),
        "{}",
        text(&o)
    );
    let synced = root.synced();
    assert_eq!(operations(&synced), 166);
    // Canonical output of the vendored spec is the vendored spec.
    assert_eq!(
        synced,
        std::fs::read_to_string(workspace().join(SPEC)).unwrap()
    );
    let again = root.sync(&[]);
    assert!(again.status.success(), "{}", text(&again));
    assert!(text(&again).contains("is up to date"), "{}", text(&again));
}

#[test]
fn a_changed_copy_is_reported_by_check_and_written_by_sync() {
    let root = Root::new("changed");
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
    assert_eq!(operations(&root.synced()), 166);
}

#[test]
fn a_copy_that_does_not_generate_leaves_the_spec_as_it_was() {
    let root = Root::new("broken");
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
