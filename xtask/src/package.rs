//! `cargo xtask package-check`: the crates as a user gets them. Packages the
//! workspace (`cargo package`, which builds each library crate from its own
//! package: a file reached outside the package fails there), then builds
//! and tests a consumer outside the workspace against the packaged crates
//! (unpacked, through `[patch.crates-io]`): a member created with
//! `mx_client::atrium`, and with the Platform API, against `mx_sim`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The library crates, in the order they depend on each other.
const CRATES: &[&str] = &["mx-specs", "mx-codegen", "mx-client", "mx-sim"];

pub fn run() -> Result<(), String> {
    let root = crate::root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    println!("cargo package --workspace --exclude xtask (each crate verified from its package)");
    cargo(
        &root,
        &[
            "package",
            "--workspace",
            "--exclude",
            "xtask",
            "--allow-dirty",
        ],
        None,
    )?;
    let packages = target.join("package");
    let mut patches = String::new();
    for krate in CRATES {
        let dir = unpacked(&packages, krate)?;
        patches.push_str(&format!(
            "{krate} = {{ path = {:?} }}\n",
            dir.display().to_string()
        ));
    }
    // Its own workspace, its own build directory (kept between runs: only
    // the first run builds the dependencies).
    let consumer = target.join("package-check").join("consumer");
    let _ = std::fs::remove_dir_all(&consumer);
    std::fs::create_dir_all(consumer.join("tests")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"mx-client-consumer\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n\
         [dependencies]\n\
         mx-client = {{ version = \"=0.1.0\", default-features = false, features = [\"atrium\", \"platform\"] }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n\
         [dev-dependencies]\n\
         mx-sim = \"=0.1.0\"\n\
         serde_json = \"1\"\n\n\
         [patch.crates-io]\n{patches}"
    );
    write(&consumer.join("Cargo.toml"), &manifest)?;
    write(
        &consumer.join("src/lib.rs"),
        "//! A user of mx-client, outside its workspace.\n",
    )?;
    write(&consumer.join("tests/members.rs"), CONSUMER_TEST)?;
    // The workspace's versions of everything else.
    std::fs::copy(root.join("Cargo.lock"), consumer.join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    println!(
        "cargo test in {} (against the packaged crates)",
        consumer.display()
    );
    cargo(
        &consumer,
        &["test"],
        Some(&target.join("package-check").join("target")),
    )?;
    println!("package check passed: every library crate packages, and a consumer outside the workspace builds and creates members against the packaged mx-sim");
    Ok(())
}

/// `target/package/<crate>-<version>`, the package `cargo package`
/// unpacked and verified.
fn unpacked(packages: &Path, krate: &str) -> Result<PathBuf, String> {
    let prefix = format!("{krate}-");
    std::fs::read_dir(packages)
        .map_err(|e| format!("{}: {e}", packages.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix(&prefix))
                .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        })
        .ok_or_else(|| {
            format!(
                "cargo package left no unpacked {krate} in {}",
                packages.display()
            )
        })
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn cargo(dir: &Path, args: &[&str], target: Option<&Path>) -> Result<(), String> {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(args).current_dir(dir);
    if let Some(t) = target {
        cmd.env("CARGO_TARGET_DIR", t);
    }
    let status = cmd.status().map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo {}` failed in {} (see its output above)",
            args.join(" "),
            dir.display()
        ))
    }
}

/// The consumer's test: what a user writes first.
const CONSUMER_TEST: &str = r#"//! A member created through the packaged mx-client, against the packaged
//! simulator: Atrium, and the Platform API's current version.

use mx_client::{ApiKey, ClientId};

/// MX Bank's credential fields, as the simulator lists them.
fn credentials(fields: Vec<(Option<String>, Option<String>)>) -> serde_json::Value {
    let guid = |name: &str| {
        fields
            .iter()
            .find(|(f, _)| f.as_deref() == Some(name))
            .and_then(|(_, g)| g.clone())
            .expect("MX Bank has LOGIN and PASSWORD")
    };
    serde_json::json!([
        {"guid": guid("LOGIN"), "value": "mxuser"},
        {"guid": guid("PASSWORD"), "value": "password"}
    ])
}

#[tokio::test]
async fn a_member_is_created_with_atrium() {
    use mx_client::atrium::{types, Client, Environment};
    let sim = mx_sim::start().await.unwrap();
    let atrium = Client::from_environment(
        Environment::Custom(sim.atrium_base_url()),
        ClientId::new(mx_sim::DEMO_CLIENT_ID),
        ApiKey::new(mx_sim::DEMO_API_KEY),
    )
    .unwrap();
    let fields = atrium
        .read_institution_credentials()
        .institution_code("mxbank")
        .send()
        .await
        .unwrap()
        .into_inner()
        .credentials
        .into_iter()
        .map(|f| (f.field_name, f.guid))
        .collect();
    let body: types::MemberCreateRequestBody = serde_json::from_value(serde_json::json!({
        "member": {"institution_code": "mxbank", "credentials": credentials(fields)}
    }))
    .unwrap();
    let member = atrium
        .create_member()
        .user_guid(mx_sim::DEMO_USER_GUID)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert!(member.guid.unwrap().starts_with("MBR-"));
}

#[tokio::test]
async fn a_member_is_created_with_the_platform_api() {
    use mx_client::platform::v20250224::{types, Client, Environment};
    let sim = mx_sim::start().await.unwrap();
    let mx = Client::from_environment(
        Environment::Custom(sim.platform_base_url()),
        ClientId::new(mx_sim::DEMO_CLIENT_ID),
        ApiKey::new(mx_sim::DEMO_API_KEY),
    )
    .unwrap();
    let fields = mx
        .list_institution_credentials()
        .institution_identifier("mxbank")
        .send()
        .await
        .unwrap()
        .into_inner()
        .credentials
        .into_iter()
        .map(|f| (f.field_name, f.guid))
        .collect();
    let body: types::MemberCreateRequestBody = serde_json::from_value(serde_json::json!({
        "member": {"institution_code": "mxbank", "credentials": credentials(fields)}
    }))
    .unwrap();
    let member = mx
        .create_member()
        .user_identifier(mx_sim::DEMO_USER_GUID)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member
        .unwrap();
    let guid = member.guid.unwrap();
    assert!(guid.starts_with("MBR-"));
    // The member API every client shares.
    let status = mx.member(mx_sim::DEMO_USER_GUID, guid).status().await.unwrap();
    assert!(status.status.is_some());
}
"#;
