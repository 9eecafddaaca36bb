//! What a generated client costs over a careful hand-written one: create
//! member through `mx_client::nexus` and `mx_client::atrium` against a
//! server on 127.0.0.1, beside plain `reqwest` + `serde` doing the same
//! request, in the same run; and encoding and decoding of the member types
//! against hand-written serde structs.
//!
//! `cargo bench --bench requests`; `cargo xtask bench-report` prints the
//! ratios.

// Struct literals of generated types end in `..Default::default()` even when
// every field is set today: a field MX adds later must not break this code.
#![allow(clippy::needless_update)]

use std::hint::black_box;

use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use criterion::{criterion_group, Criterion};
use mx_client::{atrium, nexus};
use serde::{Deserialize, Serialize};

const NEXUS: &str = "application/vnd.mx.nexus.v1+json";
const ATRIUM: &str = "application/vnd.mx.atrium.v1+json";
const TOKEN: &str = "bench-session-token";

const NEXUS_MEMBER: &str = r#"{"member":{"aggregated_at":"2016-10-13T18:07:57.000Z","background_aggregation_is_disabled":false,"connection_status":"CONNECTED","external_guid":null,"guid":"MBR-7c6f361b-e582-15b6-60c0-358f12466b4b","institution_code":"chase","institution_guid":"INS-1572a04c-912b-59bf-5841-332c7dfafaef","is_being_aggregated":false,"is_managed_by_user":false,"is_oauth":false,"is_user_created":true,"most_recent_job_guid":"JOB-d6bb804b-6d12-44f1-b0ad-403441c03372","metadata":"x","name":"Chase Bank","successfully_aggregated_at":"2016-10-13T17:57:38.000Z","use_cases":["PFM"],"user_guid":"USR-fa7537f3-48aa-a683-a02a-b18940482f54"}}"#;
const ATRIUM_MEMBER: &str = r#"{"member":{"aggregated_at":"2016-10-13T17:57:36+00:00","connection_status":"CONNECTED","guid":"MBR-7c6f361b-e582-15b6-60c0-358f12466b4b","identifier":"unique_id","institution_code":"mxbank","is_being_aggregated":true,"is_oauth":false,"metadata":"x","name":"MX Bank","status":"INITIATED","successfully_aggregated_at":null,"user_guid":"USR-fa7537f3-48aa-a683-a02a-b18940482f54"}}"#;

// ---- the hand-written baseline: what a careful engineer writes ----

#[derive(Serialize)]
struct HCredential<'a> {
    credential_guid: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct HNexusCreate<'a> {
    institution_guid: &'a str,
    credentials: Vec<HCredential<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_aggregation: Option<bool>,
}

#[derive(Serialize)]
struct HNexusBody<'a> {
    member: HNexusCreate<'a>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HNexusMember {
    aggregated_at: Option<String>,
    background_aggregation_is_disabled: Option<bool>,
    connection_status: Option<String>,
    external_guid: Option<serde_json::Value>,
    guid: Option<String>,
    institution_code: Option<String>,
    institution_guid: Option<String>,
    is_being_aggregated: Option<bool>,
    is_managed_by_user: Option<bool>,
    is_oauth: Option<bool>,
    is_user_created: Option<bool>,
    most_recent_job_guid: Option<String>,
    metadata: Option<String>,
    name: Option<String>,
    successfully_aggregated_at: Option<String>,
    #[serde(default)]
    use_cases: Vec<String>,
    user_guid: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HNexusResponse {
    member: HNexusMember,
}

#[derive(Serialize)]
struct HAtriumCredential<'a> {
    guid: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct HAtriumCreate<'a> {
    institution_code: &'a str,
    credentials: Vec<HAtriumCredential<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_aggregation: Option<bool>,
}

#[derive(Serialize)]
struct HAtriumBody<'a> {
    member: HAtriumCreate<'a>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HAtriumMember {
    aggregated_at: Option<String>,
    connection_status: Option<String>,
    guid: Option<String>,
    identifier: Option<String>,
    institution_code: Option<String>,
    is_being_aggregated: Option<bool>,
    is_oauth: Option<bool>,
    metadata: Option<String>,
    name: Option<String>,
    oauth_window_uri: Option<String>,
    status: Option<String>,
    successfully_aggregated_at: Option<String>,
    user_guid: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HAtriumResponse {
    member: HAtriumMember,
}

fn nexus_generated_body() -> nexus::types::MemberCreateRequestBody {
    nexus::types::MemberCreateRequestBody {
        member: Some(nexus::types::MemberCreateRequest {
            credentials: vec![
                nexus::types::MemberCreateRequestCredentialsItem {
                    credential_guid: Some("CRD-18cd14ce-2628-5eb6-ae17-b11f89d0b667".into()),
                    value: Some("ExampleUsername".into()),
                    ..Default::default()
                },
                nexus::types::MemberCreateRequestCredentialsItem {
                    credential_guid: Some("CRD-4f6a8b2c-1d3e-5f7a-9b0c-2d4e6f8a0b1c".into()),
                    value: Some("Pa$$vv@Rd".into()),
                    ..Default::default()
                },
            ],
            skip_aggregation: Some(true),
            ..nexus::types::MemberCreateRequest::new("INS-1572a04c-912b-59bf-5841-332c7dfafaef")
        }),
        ..Default::default()
    }
}

fn nexus_baseline_body() -> HNexusBody<'static> {
    HNexusBody {
        member: HNexusCreate {
            institution_guid: "INS-1572a04c-912b-59bf-5841-332c7dfafaef",
            credentials: vec![
                HCredential {
                    credential_guid: "CRD-18cd14ce-2628-5eb6-ae17-b11f89d0b667",
                    value: "ExampleUsername",
                },
                HCredential {
                    credential_guid: "CRD-4f6a8b2c-1d3e-5f7a-9b0c-2d4e6f8a0b1c",
                    value: "Pa$$vv@Rd",
                },
            ],
            skip_aggregation: Some(true),
        },
    }
}

fn atrium_generated_body() -> atrium::types::MemberCreateRequestBody {
    let member = atrium::types::MemberCreateRequest {
        credentials: vec![
            atrium::types::CredentialRequest {
                guid: Some("CRD-1ec152cd-e628-e81a-e852-d1e7104624da".into()),
                value: Some("ExampleUsername".into()),
                ..Default::default()
            },
            atrium::types::CredentialRequest {
                guid: Some("CRD-2b4c7d1e-9f3a-4e6b-8c2d-5a7f9e1b3c4d".into()),
                value: Some("Pa$$vv@Rd".into()),
                ..Default::default()
            },
        ],
        skip_aggregation: Some(true),
        ..atrium::types::MemberCreateRequest::new("mxbank")
    };
    // The wrapper has a required field and no `Default`: its builder.
    atrium::types::MemberCreateRequestBody::builder()
        .member(member)
        .try_into()
        .expect("member is set")
}

fn atrium_baseline_body() -> HAtriumBody<'static> {
    HAtriumBody {
        member: HAtriumCreate {
            institution_code: "mxbank",
            credentials: vec![
                HAtriumCredential {
                    guid: "CRD-1ec152cd-e628-e81a-e852-d1e7104624da",
                    value: "ExampleUsername",
                },
                HAtriumCredential {
                    guid: "CRD-2b4c7d1e-9f3a-4e6b-8c2d-5a7f9e1b3c4d",
                    value: "Pa$$vv@Rd",
                },
            ],
            skip_aggregation: Some(true),
        },
    }
}

/// A server whose answers cost the same whoever asks.
async fn server() -> String {
    let app = axum::Router::new()
        .route(
            "/nexus/members",
            post(|| async { ([(CONTENT_TYPE, NEXUS)], NEXUS_MEMBER) }),
        )
        .route(
            "/atrium/users/{user}/members",
            post(|| async { ([(CONTENT_TYPE, ATRIUM)], ATRIUM_MEMBER) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// The clients of one run: the generated ones, the hand-written one, and
/// the server's base URL.
struct Peers {
    nx: nexus::Client,
    at: atrium::Client,
    /// A careful engineer sets the same timeouts and redirect policy.
    http: reqwest::Client,
    base: String,
}

const USER: &str = "USR-fa7537f3-48aa-a683-a02a-b18940482f54";

impl Peers {
    async fn nexus_generated(&self) {
        let r = self
            .nx
            .create_member()
            .body(nexus_generated_body())
            .send()
            .await
            .unwrap();
        black_box(r.into_inner());
    }

    async fn nexus_baseline(&self) {
        let r = self
            .http
            .post(format!("{}/nexus/members", self.base))
            .header("MD-SESSION-TOKEN", TOKEN)
            .header("Accept", NEXUS)
            .header("Content-Type", NEXUS)
            .header("User-Agent", "hand-written/1")
            .body(serde_json::to_vec(&nexus_baseline_body()).unwrap())
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
        let bytes = r.bytes().await.unwrap();
        black_box(serde_json::from_slice::<HNexusResponse>(&bytes).unwrap());
    }

    /// Where the difference goes: the request built as the generated code
    /// builds it (`json()`, the generated types) and sent through
    /// mx-client's hooks, without progenitor's builder and response glue.
    async fn nexus_hooks(&self) {
        let hooks = progenitor_client::ClientInfo::inner(&self.nx);
        let mut req = self
            .http
            .post(format!("{}/nexus/members", self.base))
            .json(&nexus_generated_body())
            .build()
            .unwrap();
        hooks.pre(&mut req, "create_member").unwrap();
        let r = hooks.exec(&self.http, req, "create_member").await;
        hooks.post(&r, "create_member").unwrap();
        let bytes = r.unwrap().bytes().await.unwrap();
        black_box(serde_json::from_slice::<nexus::types::MemberResponseBody>(&bytes).unwrap());
    }

    async fn atrium_generated(&self) {
        let r = self
            .at
            .create_member()
            .user_guid(USER)
            .body(atrium_generated_body())
            .send()
            .await
            .unwrap();
        black_box(r.into_inner());
    }

    async fn atrium_baseline(&self) {
        let r = self
            .http
            .post(format!("{}/atrium/users/{USER}/members", self.base))
            .header("MX-API-Key", "key")
            .header("MX-Client-ID", "cid")
            .header("Accept", ATRIUM)
            .header("Content-Type", "application/json")
            .header("User-Agent", "hand-written/1")
            .body(serde_json::to_vec(&atrium_baseline_body()).unwrap())
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
        let bytes = r.bytes().await.unwrap();
        black_box(serde_json::from_slice::<HAtriumResponse>(&bytes).unwrap());
    }
}

/// One of the requests `Peers` makes, for `paired`.
#[derive(Clone, Copy)]
enum Call {
    NexusGenerated,
    NexusBaseline,
    NexusHooks,
    AtriumGenerated,
    AtriumBaseline,
}

impl Peers {
    async fn call(&self, call: Call) {
        match call {
            Call::NexusGenerated => self.nexus_generated().await,
            Call::NexusBaseline => self.nexus_baseline().await,
            Call::NexusHooks => self.nexus_hooks().await,
            Call::AtriumGenerated => self.atrium_generated().await,
            Call::AtriumBaseline => self.atrium_baseline().await,
        }
    }
}

fn peers(rt: &tokio::runtime::Runtime) -> Peers {
    let base = rt.block_on(server());
    Peers {
        nx: nexus::Client::from_environment(
            nexus::Environment::Custom(format!("{base}/nexus")),
            TOKEN,
        )
        .unwrap(),
        at: atrium::Client::from_environment(
            atrium::Environment::Custom(format!("{base}/atrium")),
            "key",
            "cid",
        )
        .unwrap(),
        http: reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .connect_timeout(std::time::Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        base,
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

fn requests(c: &mut Criterion) {
    let rt = runtime();
    let p = peers(&rt);
    let mut g = c.benchmark_group("create_member_nexus");
    g.bench_function("generated", |b| {
        b.to_async(&rt).iter(|| p.nexus_generated())
    });
    g.bench_function("baseline", |b| b.to_async(&rt).iter(|| p.nexus_baseline()));
    g.bench_function("hooks", |b| b.to_async(&rt).iter(|| p.nexus_hooks()));
    g.finish();
    let mut g = c.benchmark_group("create_member_atrium");
    g.bench_function("generated", |b| {
        b.to_async(&rt).iter(|| p.atrium_generated())
    });
    g.bench_function("baseline", |b| b.to_async(&rt).iter(|| p.atrium_baseline()));
    g.finish();
}

/// The ratio generated / baseline measured paired: rounds of `BATCH`
/// requests of each, interleaved (the order alternating), so that a machine
/// whose speed drifts during the run (seen here: the same request 58 µs, then
/// 72 µs minutes later) shifts both sides alike. Writes the median and the
/// range of the per-round ratios to `target/criterion/paired/<name>.json`
/// for `cargo xtask bench-report`.
fn paired() {
    const ROUNDS: usize = 41;
    const BATCH: usize = 200;
    let rt = runtime();
    let p = peers(&rt);
    let time = |which: Call| {
        let start = std::time::Instant::now();
        rt.block_on(async {
            for _ in 0..BATCH {
                p.call(which).await;
            }
        });
        start.elapsed().as_secs_f64()
    };
    // Beside criterion's results: `$CARGO_TARGET_DIR/criterion`, as criterion
    // finds it.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let out = target.join("criterion/paired");
    std::fs::create_dir_all(&out).unwrap();
    for (name, generated, baseline) in [
        (
            "create_member_nexus",
            Call::NexusGenerated,
            Call::NexusBaseline,
        ),
        (
            "create_member_nexus_hooks",
            Call::NexusHooks,
            Call::NexusBaseline,
        ),
        (
            "create_member_atrium",
            Call::AtriumGenerated,
            Call::AtriumBaseline,
        ),
    ] {
        // Warm both sides (connections, caches).
        time(generated);
        time(baseline);
        let mut ratios: Vec<f64> = (0..ROUNDS)
            .map(|round| {
                let (g, b) = if round % 2 == 0 {
                    let g = time(generated);
                    (g, time(baseline))
                } else {
                    let b = time(baseline);
                    (time(generated), b)
                };
                g / b
            })
            .collect();
        ratios.sort_by(f64::total_cmp);
        let (median, low, high) = (ratios[ROUNDS / 2], ratios[0], ratios[ROUNDS - 1]);
        println!(
            "paired {name}: generated / baseline = {median:.3} (rounds: {low:.3} – {high:.3})"
        );
        std::fs::write(
            out.join(format!("{name}.json")),
            format!(r#"{{"median": {median}, "low": {low}, "high": {high}, "rounds": {ROUNDS}, "batch": {BATCH}}}"#),
        )
        .unwrap();
    }
}

fn codec(c: &mut Criterion) {
    let mut g = c.benchmark_group("encode_member_request");
    let generated = nexus_generated_body();
    let baseline = nexus_baseline_body();
    g.bench_function("generated", |b| {
        b.iter(|| black_box(serde_json::to_vec(black_box(&generated)).unwrap()))
    });
    g.bench_function("baseline", |b| {
        b.iter(|| black_box(serde_json::to_vec(black_box(&baseline)).unwrap()))
    });
    g.finish();

    let mut g = c.benchmark_group("decode_member_response");
    g.bench_function("generated", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_str::<nexus::types::MemberResponseBody>(black_box(NEXUS_MEMBER))
                    .unwrap(),
            )
        })
    });
    g.bench_function("baseline", |b| {
        b.iter(|| {
            black_box(serde_json::from_str::<HNexusResponse>(black_box(NEXUS_MEMBER)).unwrap())
        })
    });
    g.finish();

    let mut g = c.benchmark_group("decode_atrium_member_response");
    g.bench_function("generated", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_str::<atrium::types::MemberResponseBody>(black_box(ATRIUM_MEMBER))
                    .unwrap(),
            )
        })
    });
    g.bench_function("baseline", |b| {
        b.iter(|| {
            black_box(serde_json::from_str::<HAtriumResponse>(black_box(ATRIUM_MEMBER)).unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, requests, codec);

fn main() {
    benches();
    // The paired ratios run with the whole bench, or when asked by name.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let listing = std::env::args().any(|a| a == "--list" || a == "--test");
    if !listing
        && filter
            .as_deref()
            .is_none_or(|f| "paired".contains(f) || f.contains("paired"))
    {
        paired();
    }
    Criterion::default().configure_from_args().final_summary();
}
