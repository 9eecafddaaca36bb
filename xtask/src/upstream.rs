//! `cargo xtask upstream-check`: proves that a change MX could make upstream
//! still builds and reaches the simulator. It copies the workspace to a
//! temporary folder, changes every vendored spec there as MX could (a new
//! nullable field in every object schema, a new operation with its own
//! schema, a new enum value), runs a real `cargo build --workspace --all-targets` of the copy
//! (sharing this workspace's build directory, so only the workspace's own
//! crates are compiled again), starts the copy's `mx-sim` and checks that
//! the new field is in its answers and the new operation is served.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_yaml::Value;

/// The property added to an existing response schema of each API.
pub const ADDED_FIELD: &str = "upstream_added_field";
/// The value added to an enum (an existing one when the spec has one, and
/// the new schema's own).
pub const ADDED_ENUM_VALUE: &str = "UPSTREAM_ADDED_VALUE";
/// The collection of the new operations: `/users/{user_guid}/upstream_things`.
const THINGS: &str = "upstream_things";

/// One API of the workspace, as the check changes and probes it.
struct Api {
    /// Its name in messages.
    name: &'static str,
    /// The spec's path in the workspace.
    spec: &'static str,
    /// The simulator's mount point.
    mount: &'static str,
    /// The component schema whose answer is probed for the new field.
    schema: &'static str,
    /// The request headers the simulator's demo configuration accepts.
    headers: &'static [(&'static str, &'static str)],
}

impl Api {
    /// `req` with this API's demo auth and `Accept` headers.
    fn request(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        self.headers.iter().fold(req, |r, (h, v)| r.header(*h, *v))
    }
}

const APIS: &[Api] = &[
    Api {
        name: "nexus",
        spec: "specs/nexus/v1.yaml",
        mount: "nexus",
        schema: "MemberResponse",
        headers: &[
            ("MD-SESSION-TOKEN", "demo-session-token"),
            ("Accept", "application/vnd.mx.nexus.v1+json"),
        ],
    },
    Api {
        name: "atrium",
        spec: "specs/atrium/v1.yaml",
        mount: "atrium",
        schema: "Member",
        headers: &[
            ("MX-API-Key", "demo-api-key"),
            ("MX-Client-ID", "demo-client-id"),
            ("Accept", "application/vnd.mx.atrium.v1+json"),
        ],
    },
    Api {
        name: "platform-v20111101",
        spec: "specs/platform/v20111101.yml",
        mount: "platform",
        schema: "MemberResponse",
        headers: &[
            // HTTP Basic: base64("demo-client-id:demo-api-key").
            (
                "Authorization",
                "Basic ZGVtby1jbGllbnQtaWQ6ZGVtby1hcGkta2V5",
            ),
            ("Accept", "application/vnd.mx.api.v1+json"),
            ("Accept-Version", "v20111101"),
        ],
    },
    Api {
        name: "platform-v20250224",
        spec: "specs/platform/v20250224.yml",
        mount: "platform",
        schema: "MemberResponse",
        headers: &[
            (
                "Authorization",
                "Basic ZGVtby1jbGllbnQtaWQ6ZGVtby1hcGkta2V5",
            ),
            ("Accept", "application/json"),
            ("Accept-Version", "v20250224"),
        ],
    },
];

/// The demo user every simulator seeds.
const DEMO_USER: &str = "USR-fa7537f3-48aa-a683-a02a-b18940482f54";

pub fn run(keep: bool) -> Result<(), String> {
    let root = crate::root();
    let copy = std::env::temp_dir().join(format!("mx-upstream-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    copy_tree(&root, &copy)?;
    let result = check(&root, &copy);
    if keep {
        eprintln!("the changed copy is kept at {}", copy.display());
    } else {
        let _ = std::fs::remove_dir_all(&copy);
    }
    result
}

fn check(root: &Path, copy: &Path) -> Result<(), String> {
    for api in APIS {
        let path = copy.join(api.spec);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let changed = change_spec(&text, api)?;
        std::fs::write(&path, changed).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("changed {}: + {}.{ADDED_FIELD}, + the `{THINGS}` operations, + enum value {ADDED_ENUM_VALUE}", api.spec, api.schema);
    }
    // A build directory of its own: cargo hashes a workspace's own crates
    // the same wherever the workspace lies, so the copy's artifacts would
    // replace this workspace's in a shared one (and a later build here would
    // take them as fresh). Kept between runs, so only the first is slow.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("upstream-check");
    println!(
        "cargo build --workspace --all-targets --all-features (in the copy, target {})",
        target.display()
    );
    let status = Command::new(env!("CARGO"))
        .args(["build", "--workspace", "--all-targets", "--all-features"])
        .current_dir(copy)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(
            "the workspace no longer builds after an upstream-style spec change (see cargo's output above)"
                .into(),
        );
    }
    let bin = target
        .join("debug")
        .join(format!("mx-sim{}", std::env::consts::EXE_SUFFIX));
    let mut sim = Sim::start(&bin)?;
    let outcome = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?
        .block_on(probe(&sim.base));
    sim.stop();
    outcome?;
    println!("upstream check passed: the changed specs build, and the simulator serves the new field, operation and enum value");
    Ok(())
}

/// The spec with the three changes, as YAML.
fn change_spec(text: &str, api: &Api) -> Result<String, String> {
    let mut doc: Value = serde_yaml::from_str(text).map_err(|e| format!("{}: {e}", api.spec))?;
    let schemas = doc
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .and_then(Value::as_mapping_mut)
        .ok_or_else(|| format!("{}: no components.schemas", api.spec))?;
    // 1. A new nullable field in every object schema (request, response
    // and wrapper schemas alike), so that any hand-written struct literal of
    // a generated type anywhere in the workspace fails the build.
    if !schemas.contains_key(api.schema) {
        return Err(format!("{}: no schema {}", api.spec, api.schema));
    }
    let mut widened = 0;
    for (_, schema) in schemas.iter_mut() {
        if let Some(props) = schema.get_mut("properties").and_then(Value::as_mapping_mut) {
            props.insert(
                ADDED_FIELD.into(),
                yaml("{type: string, nullable: true, description: Added upstream.}"),
            );
            widened += 1;
        }
    }
    println!(
        "  {}: {ADDED_FIELD} added to {widened} object schemas",
        api.spec
    );
    // 3a. A new value in an existing enum, if the spec has one.
    let added_to_existing = schemas.iter_mut().any(|(_, s)| add_enum_value(s));
    // 2. A new schema with an enum of its own (3b), and its operations.
    schemas.insert(
        "UpstreamThing".into(),
        yaml(&format!(
            "{{type: object, properties: {{guid: {{type: string, nullable: true}}, name: {{type: string, nullable: true}}, \
             kind: {{type: string, nullable: true, enum: [FIRST, {ADDED_ENUM_VALUE}]}}}}}}"
        )),
    );
    schemas.insert(
        "UpstreamThingBody".into(),
        yaml("{type: object, required: [upstream_thing], properties: {upstream_thing: {$ref: '#/components/schemas/UpstreamThing'}}}"),
    );
    let media = api
        .headers
        .iter()
        .find(|(h, _)| *h == "Accept")
        .map(|(_, v)| *v)
        .unwrap_or("application/json");
    let body =
        format!("{{'{media}': {{schema: {{$ref: '#/components/schemas/UpstreamThingBody'}}}}}}");
    let user = "{name: user_guid, in: path, required: true, schema: {type: string}}";
    let ops = yaml(&format!(
        "{{post: {{operationId: createUpstreamThing, summary: Create an upstream thing, parameters: [{user}], \
           requestBody: {{required: true, content: {body}}}, \
           responses: {{'200': {{description: OK, content: {body}}}}}}}}}"
    ));
    let read = yaml(&format!(
        "{{get: {{operationId: readUpstreamThing, summary: Read an upstream thing, \
           parameters: [{user}, {{name: upstream_thing_guid, in: path, required: true, schema: {{type: string}}}}], \
           responses: {{'200': {{description: OK, content: {body}}}}}}}}}"
    ));
    let paths = doc
        .get_mut("paths")
        .and_then(Value::as_mapping_mut)
        .ok_or_else(|| format!("{}: no paths", api.spec))?;
    paths.insert(format!("/users/{{user_guid}}/{THINGS}").into(), ops);
    paths.insert(
        format!("/users/{{user_guid}}/{THINGS}/{{upstream_thing_guid}}").into(),
        read,
    );
    if !added_to_existing {
        println!(
            "  ({}: no existing enum; the new value is in the new schema's enum)",
            api.spec
        );
    }
    serde_yaml::to_string(&doc).map_err(|e| e.to_string())
}

fn yaml(s: &str) -> Value {
    serde_yaml::from_str(s).expect("a valid YAML literal")
}

/// Appends [`ADDED_ENUM_VALUE`] to the first string enum inside `v`.
fn add_enum_value(v: &mut Value) -> bool {
    match v {
        Value::Mapping(m) => {
            if let Some(Value::Sequence(values)) = m.get_mut("enum") {
                if values.iter().all(|x| x.is_string()) {
                    values.push(ADDED_ENUM_VALUE.into());
                    return true;
                }
            }
            m.iter_mut().any(|(_, x)| add_enum_value(x))
        }
        Value::Sequence(s) => s.iter_mut().any(add_enum_value),
        _ => false,
    }
}

/// Asks the changed simulator for the new field, operation and enum value.
async fn probe(base: &str) -> Result<(), String> {
    let http = crate::http_client_builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    for api in APIS {
        let url = |path: &str| format!("{base}/{}{path}", api.mount);
        let send = |req: reqwest::RequestBuilder| {
            let req = api.request(req);
            async move {
                let resp = req.send().await.map_err(|e| e.to_string())?;
                let status = resp.status();
                let body: serde_json::Value = resp.json().await.unwrap_or_default();
                Ok::<_, String>((status, body))
            }
        };
        let content_type = api
            .headers
            .iter()
            .find(|(h, _)| *h == "Accept")
            .map_or("", |(_, v)| *v);
        // The new operation, with the new enum value.
        let (status, created) = send(
            http.post(url(&format!("/users/{DEMO_USER}/{THINGS}")))
                .header("Content-Type", content_type)
                .body(
                    serde_json::json!({"upstream_thing": {"name": "new", "kind": ADDED_ENUM_VALUE}})
                        .to_string(),
                ),
        )
        .await?;
        if !status.is_success() {
            return Err(format!(
                "{}: the new create operation answered {status}: {created}",
                api.name
            ));
        }
        let thing = &created["upstream_thing"];
        let guid = thing["guid"]
            .as_str()
            .ok_or_else(|| format!("{}: the created thing has no guid: {created}", api.name))?;
        if thing["kind"] != ADDED_ENUM_VALUE {
            return Err(format!(
                "{}: the new enum value was not kept: {created}",
                api.name
            ));
        }
        let (status, read) =
            send(http.get(url(&format!("/users/{DEMO_USER}/{THINGS}/{guid}")))).await?;
        if !status.is_success() || read["upstream_thing"]["guid"] != guid {
            return Err(format!(
                "{}: reading the new thing answered {status}: {read}",
                api.name
            ));
        }
        // A value outside the enum is refused, as the spec now says.
        let (status, _) = send(
            http.post(url(&format!("/users/{DEMO_USER}/{THINGS}")))
                .header("Content-Type", content_type)
                .body(
                    serde_json::json!({"upstream_thing": {"kind": "NOT_IN_THE_ENUM"}}).to_string(),
                ),
        )
        .await?;
        if status != reqwest::StatusCode::BAD_REQUEST {
            return Err(format!(
                "{}: a value outside the new enum answered {status}, not 400",
                api.name
            ));
        }
        println!(
            "  {}: the new operation and enum value are served",
            api.name
        );
    }
    // The new response field, in a member answer of each API: Nexus's
    // create, then the same member read through the others (one world).
    let (created, guid) = new_member(&http, base).await?;
    check_field(&APIS[0], &created)?;
    for api in &APIS[1..] {
        let url = format!("{base}/{}/users/{DEMO_USER}/members/{guid}", api.mount);
        let req = api
            .headers
            .iter()
            .fold(http.get(url), |r, (h, v)| r.header(*h, *v));
        let read: serde_json::Value = req
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        check_field(api, &read)?;
    }
    Ok(())
}

/// The member answer `body` has the added field, as null.
fn check_field(api: &Api, body: &serde_json::Value) -> Result<(), String> {
    let member = body
        .get("member")
        .ok_or_else(|| format!("{}: no member in {body}", api.name))?;
    match member.get(ADDED_FIELD) {
        Some(serde_json::Value::Null) => {
            println!(
                "  {}: {}.{ADDED_FIELD} is in the answer (null)",
                api.name, api.schema
            );
            Ok(())
        }
        other => Err(format!(
            "{}: {ADDED_FIELD} is {other:?} in the member answer, not a null field: {body}",
            api.name
        )),
    }
}

/// Creates a member through Nexus: its answer and the member's GUID.
async fn new_member(
    http: &reqwest::Client,
    base: &str,
) -> Result<(serde_json::Value, String), String> {
    let nexus = &APIS[0];
    // The Nexus Create Member page's example institution and credentials,
    // which the simulator knows.
    let institution_guid = "INS-1572a04c-912b-59bf-5841-332c7dfafaef";
    let credentials = serde_json::json!([
        {"credential_guid": "CRD-18cd14ce-2628-5eb6-ae17-b11f89d0b667", "value": "upstream-check-user"},
        {"credential_guid": "CRD-4f6a8b2c-1d3e-5f7a-9b0c-2d4e6f8a0b1c", "value": "password"},
    ]);
    let resp = nexus
        .request(http.post(format!("{base}/nexus/members")))
        .header("Content-Type", "application/vnd.mx.nexus.v1+json")
        .body(
            serde_json::json!({"member": {"institution_guid": institution_guid, "credentials": credentials, "skip_aggregation": true}})
                .to_string(),
        )
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = resp.status();
    let created: serde_json::Value = resp.json().await.unwrap_or_default();
    if !status.is_success() {
        return Err(format!(
            "nexus: creating a member answered {status}: {created}"
        ));
    }
    let guid = created["member"]["guid"]
        .as_str()
        .ok_or_else(|| format!("nexus: the member has no guid: {created}"))?;
    let guid = guid.to_string();
    Ok((created, guid))
}

/// The copy's simulator, on a free port.
struct Sim {
    child: Child,
    base: String,
}

impl Sim {
    fn start(bin: &Path) -> Result<Sim, String> {
        let mut child = Command::new(bin)
            .args(["--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .map_err(|e| e.to_string())?;
        // "MX simulator listening on 127.0.0.1:PORT"
        let addr = first
            .split_whitespace()
            .last()
            .filter(|a| a.contains(':'))
            .ok_or_else(|| format!("mx-sim did not say where it listens: {first:?}"))?;
        Ok(Sim {
            base: format!("http://{addr}"),
            child,
        })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Copies the workspace's sources (not `target/`, not `.git/`).
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        let kind = entry.file_type().map_err(|e| e.to_string())?;
        if kind.is_dir() {
            copy_tree(&src, &dst)?;
        } else if kind.is_file() {
            std::fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
        }
    }
    Ok(())
}
