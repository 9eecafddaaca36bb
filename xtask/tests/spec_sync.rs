//! `cargo xtask spec-sync`, offline: fixture doc pages served on 127.0.0.1,
//! synced into a copy of the workspace's `specs/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fresh copy of `specs/` in a temporary root.
struct Root(PathBuf);

impl Root {
    fn new(name: &str) -> Root {
        let dir = std::env::temp_dir().join(format!("mx-spec-sync-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for api in ["nexus", "atrium"] {
            let from = workspace().join("specs").join(api);
            let to = dir.join("specs").join(api);
            std::fs::create_dir_all(&to).unwrap();
            for f in std::fs::read_dir(&from).unwrap() {
                let f = f.unwrap().path();
                std::fs::copy(&f, to.join(f.file_name().unwrap())).unwrap();
            }
        }
        Root(dir)
    }

    fn spec(&self) -> Vec<u8> {
        std::fs::read(self.0.join("specs/nexus/v1.yaml")).unwrap()
    }

    fn sync(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
        cmd.args(["spec-sync", "nexus", "--root"])
            .arg(&self.0)
            .args(args);
        cmd.output().unwrap()
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Serves `tests/fixtures` on 127.0.0.1: `/<anything>/<file>` is the file,
/// with `{BASE}` replaced; `/flaky/…` answers 503 the first time.
async fn serve() -> (String, Arc<AtomicUsize>) {
    use axum::extract::Request;
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let flaky = Arc::new(AtomicUsize::new(0));
    let (b, f) = (base.clone(), flaky.clone());
    let app = axum::Router::new().fallback(move |req: Request| {
        let (base, flaky) = (b.clone(), f.clone());
        async move {
            let path = req.uri().path().to_string();
            if path.starts_with("/flaky/") && flaky.fetch_add(1, Ordering::SeqCst) == 0 {
                return (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response();
            }
            let name = path.rsplit('/').next().unwrap_or("");
            match std::fs::read_to_string(fixtures().join(name)) {
                Ok(t) => t.replace("{BASE}", &base).into_response(),
                Err(_) => (StatusCode::NOT_FOUND, "no such page").into_response(),
            }
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, flaky)
}

/// Runs the blocking xtask process off the runtime that serves the pages.
async fn run(root: &Root, args: Vec<String>) -> Output {
    let root = Root(root.0.clone());
    let out = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = root.sync(&args);
        std::mem::forget(root); // the caller's Root cleans up
        out
    })
    .await
    .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_page_matches_the_vendored_spec() {
    let (base, _) = serve().await;
    let root = Root::new("seed");
    let before = root.spec();
    let out = run(
        &root,
        vec![
            "--from".into(),
            format!("{base}/nexus/create-member.md"),
            "--check".into(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("up to date"), "{}", text(&out));
    assert_eq!(root.spec(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_fails_naming_the_changed_field_and_writes_nothing() {
    let (base, _) = serve().await;
    let root = Root::new("check");
    let before = root.spec();
    let out = run(
        &root,
        vec![
            "--from".into(),
            format!("{base}/nexus/changed-field.md"),
            "--check".into(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("+ MemberResponse.is_manual: boolean"),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("cargo xtask spec-sync nexus"),
        "{}",
        text(&out)
    );
    assert_eq!(root.spec(), before);

    let out = run(
        &root,
        vec![
            "--from".into(),
            format!("{base}/nexus/changed-field.md"),
            "--dry-run".into(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(root.spec(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_merges_both_operations_on_one_path_and_skips_other_apis() {
    let (base, _) = serve().await;
    let root = Root::new("index");
    let out = run(&root, vec!["--from".into(), format!("{base}/llms.txt")]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("+ operation GET /members (listMembers)"),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("+ schema MembersResponseBody"),
        "{}",
        text(&out)
    );
    let spec: serde_yaml::Value = serde_yaml::from_slice(&root.spec()).unwrap();
    let item = &spec["paths"]["/members"];
    assert_eq!(item["post"]["operationId"].as_str(), Some("createMember"));
    assert_eq!(item["get"]["operationId"].as_str(), Some("listMembers"));
    assert!(
        spec["paths"].get("/users").is_none(),
        "the other API's page was skipped"
    );

    // Canonical: a second run writes nothing and the bytes stay.
    let first = root.spec();
    let out = run(&root, vec!["--from".into(), format!("{base}/llms.txt")]).await;
    assert!(text(&out).contains("up to date"), "{}", text(&out));
    assert_eq!(root.spec(), first);

    // And a sync from scratch writes the very same bytes.
    let again = Root::new("index-again");
    let out = run(&again, vec!["--from".into(), format!("{base}/llms.txt")]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(again.spec(), first);
    assert!(String::from_utf8(first)
        .unwrap()
        .starts_with("openapi: 3.0.0\ninfo:\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_page_leaves_the_vendored_spec_byte_identical() {
    let (base, _) = serve().await;
    let root = Root::new("broken");
    let before = root.spec();
    for (source, expect) in [
        (format!("{base}/llms-broken.txt"), "broken.md"),
        (
            format!("{base}/nexus/no-operation-id.md"),
            "has no operationId",
        ),
        (format!("{base}/nexus/missing.md"), "404"),
    ] {
        let out = run(&root, vec!["--from".into(), source.clone()]).await;
        assert_eq!(out.status.code(), Some(2), "{source}: {}", text(&out));
        assert!(text(&out).contains(expect), "{source}: {}", text(&out));
        assert_eq!(root.spec(), before, "{source} changed the spec");
    }
    let leftovers: Vec<_> = std::fs::read_dir(root.0.join("specs/nexus"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_that_disagree_are_a_conflict_naming_both() {
    let (base, _) = serve().await;
    let root = Root::new("conflict");
    let before = root.spec();
    let out = run(
        &root,
        vec![
            "--from".into(),
            format!("{base}/nexus/list-members.md"),
            "--from".into(),
            format!("{base}/nexus/conflict.md"),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("components/schemas/MemberResponse")
            && t.contains("list-members.md")
            && t.contains("conflict.md"),
        "{t}"
    );
    assert_eq!(root.spec(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transient_failure_is_retried() {
    let (base, flaky) = serve().await;
    let root = Root::new("flaky");
    let out = run(
        &root,
        vec![
            "--from".into(),
            format!("{base}/llms-flaky.txt"),
            "--check".into(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(flaky.load(Ordering::SeqCst), 2);
}

#[test]
fn files_and_folders_are_sources_and_a_synced_field_reaches_the_generated_code() {
    let root = Root::new("files");
    let dir = root.0.join("pages");
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["changed-field.md", "other-api.md"] {
        std::fs::copy(fixtures().join(f), dir.join(f)).unwrap();
    }
    let out = root.sync(&["--from", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("+ MemberResponse.is_manual"),
        "{}",
        text(&out)
    );

    // build.rs runs this same pipeline: the field is in the client.
    let gen = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(&root.0)
        .args(["generate", "specs/nexus/v1.yaml"])
        .output()
        .unwrap();
    assert!(gen.status.success(), "{}", text(&gen));
    let code = String::from_utf8(gen.stdout).unwrap();
    assert!(
        code.contains("pub is_manual: ::std::option::Option<bool>"),
        "the field is not generated"
    );
    assert!(code.contains("pub fn create_member(&self)"));
    // With the overlay build.rs lays over the Nexus spec.
    assert!(
        code.contains("with the overlay specs/nexus/overlay.yaml"),
        "{}",
        code.lines().next().unwrap_or_default()
    );

    // A single file works as well, and back to the seed.
    let out = root.sync(&[
        "--from",
        fixtures().join("create-member.md").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("- MemberResponse.is_manual  [BREAKING]"),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("1 change(s), 1 breaking"),
        "{}",
        text(&out)
    );
}

#[test]
fn from_without_an_api_is_refused_and_writes_nothing() {
    let root = Root::new("from-all");
    let atrium = std::fs::read(root.0.join("specs/atrium/v1.yaml")).unwrap();
    let nexus = root.spec();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["spec-sync", "--root"])
        .arg(&root.0)
        .args([
            "--from",
            fixtures().join("changed-field.md").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("cargo xtask spec-sync nexus --from"),
        "{}",
        text(&out)
    );
    assert_eq!(root.spec(), nexus);
    assert_eq!(
        std::fs::read(root.0.join("specs/atrium/v1.yaml")).unwrap(),
        atrium
    );
}
