//! What a generated client costs over a careful hand-written one: create
//! member through `mx_client::nexus`, `mx_client::atrium` and (with the
//! `platform` feature) `mx_client::platform::v20250224` against a server on
//! 127.0.0.1, beside plain `reqwest` + `serde` doing the same request, in
//! the same run; and encoding and decoding of the member types against
//! hand-written serde structs.
//!
//! `cargo bench --features platform --bench requests`; `cargo xtask
//! bench-report` prints the ratios. `MX_BENCH_COUNT=<call>:<n>` runs only
//! `n` requests of one call, for `cargo xtask bench-instructions`.

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
    nexus::types::MemberCreateRequestBody::new(nexus::types::MemberCreateRequest {
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
    })
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
    // The wrapper has a required field and no `Default`: its constructor.
    atrium::types::MemberCreateRequestBody::new(member)
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

#[cfg(feature = "platform-v20250224")]
mod platform_peer {
    //! The Platform API's create member, in MX's current version: the
    //! generated client and its hand-written baseline (the body has
    //! Atrium's shape).
    use super::*;
    pub use mx_client::platform::v20250224 as platform;

    pub const MEDIA: &str = "application/json";
    pub const VERSION: &str = "v20250224";
    pub const MEMBER: &str = r#"{"member":{"aggregated_at":"2016-10-13T17:57:37.000Z","background_aggregation_is_disabled":false,"connection_status":"CONNECTED","connection_status_message":"Connected to MX Bank","guid":"MBR-7c6f361b-e582-15b6-60c0-358f12466b4b","id":"unique_id","institution_code":"mxbank","institution_guid":"INS-1572a04c-912b-59bf-5841-332c7dfafaef","is_being_aggregated":false,"is_managed_by_user":false,"is_manual":false,"is_oauth":false,"metadata":"x","most_recent_job_detail_code":null,"most_recent_job_detail_text":null,"most_recent_job_guid":"JOB-d6bb804b-6d12-44f1-b0ad-403441c03372","name":"MX Bank","needs_updated_credentials":false,"oauth_window_uri":null,"successfully_aggregated_at":"2016-10-13T17:57:38.000Z","use_cases":["PFM"],"user_guid":"USR-fa7537f3-48aa-a683-a02a-b18940482f54","user_id":"user123"}}"#;

    #[derive(Deserialize)]
    #[allow(dead_code)]
    pub struct HMember {
        aggregated_at: Option<String>,
        background_aggregation_is_disabled: Option<bool>,
        connection_status: Option<String>,
        connection_status_message: Option<String>,
        guid: Option<String>,
        id: Option<String>,
        institution_code: Option<String>,
        institution_guid: Option<String>,
        is_being_aggregated: Option<bool>,
        is_managed_by_user: Option<bool>,
        is_manual: Option<bool>,
        is_oauth: Option<bool>,
        metadata: Option<String>,
        most_recent_job_detail_code: Option<i64>,
        most_recent_job_detail_text: Option<String>,
        most_recent_job_guid: Option<String>,
        name: Option<String>,
        needs_updated_credentials: Option<bool>,
        oauth_window_uri: Option<String>,
        successfully_aggregated_at: Option<String>,
        #[serde(default)]
        use_cases: Vec<String>,
        user_guid: Option<String>,
        user_id: Option<String>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    pub struct HResponse {
        member: HMember,
    }

    pub fn generated_body() -> platform::types::MemberCreateRequestBody {
        let mut member = platform::types::MemberCreateRequest::new(Vec::new(), "mxbank");
        member.credentials = vec![
            platform::types::CredentialRequest {
                guid: Some("CRD-1ec152cd-e628-e81a-e852-d1e7104624da".into()),
                value: Some("ExampleUsername".into()),
                ..Default::default()
            },
            platform::types::CredentialRequest {
                guid: Some("CRD-2b4c7d1e-9f3a-4e6b-8c2d-5a7f9e1b3c4d".into()),
                value: Some("Pa$$vv@Rd".into()),
                ..Default::default()
            },
        ];
        // v20250224 has no `skip_aggregation`; the nearest field keeps the
        // body the size of the baseline's.
        member.background_aggregation_is_disabled = Some(true);
        platform::types::MemberCreateRequestBody {
            member: Some(member),
            ..Default::default()
        }
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
    #[cfg(feature = "platform-v20250224")]
    let app = app.route(
        "/platform/users/{user}/members",
        post(|| async {
            (
                [(CONTENT_TYPE, platform_peer::MEDIA)],
                platform_peer::MEMBER,
            )
        }),
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
    #[cfg(feature = "platform-v20250224")]
    pf: platform_peer::platform::Client,
    /// A careful engineer sets the same timeouts and redirect policy.
    http: reqwest::Client,
    base: String,
    /// The Platform's `Authorization: Basic …`, computed once.
    #[cfg(feature = "platform-v20250224")]
    basic: String,
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

    /// Where the difference goes: the request built by hand with the
    /// generated types and sent through mx-client's runtime (its `pre` and
    /// `exec`), without the generated builder.
    async fn nexus_hooks(&self) {
        let hooks = mx_client::__private::ClientParts::hooks(&self.nx);
        let op = mx_client::__private::wire_of::<nexus::Client>()
            .operation("create_member")
            .expect("in the wire table");
        let mut req = self
            .http
            .post(format!("{}/nexus/members", self.base))
            .json(&nexus_generated_body())
            .build()
            .unwrap();
        hooks.pre(&mut req, op).unwrap();
        let r = hooks.exec(&self.http, req, op).await.unwrap();
        let bytes = r.bytes().await.unwrap();
        black_box(serde_json::from_slice::<nexus::types::MemberResponseBody>(&bytes).unwrap());
    }

    /// The baseline's request with the generated types: the body built
    /// and encoded, and the answer decoded, as the generated client does,
    /// sent by plain `reqwest`. Against the baseline it is what the types
    /// cost (owned strings, secrets zeroed on drop, typed statuses); the
    /// generated client against it is what the generated layer and the
    /// runtime cost.
    async fn nexus_same_types(&self) {
        let r = self
            .http
            .post(format!("{}/nexus/members", self.base))
            .header("MD-SESSION-TOKEN", TOKEN)
            .header("Accept", NEXUS)
            .header("Content-Type", NEXUS)
            .header("User-Agent", "hand-written/1")
            .body(serde_json::to_vec(&nexus_generated_body()).unwrap())
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
        let bytes = r.bytes().await.unwrap();
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

    #[cfg(feature = "platform-v20250224")]
    async fn platform_generated(&self) {
        let r = self
            .pf
            .create_member()
            .user_identifier(USER)
            .body(platform_peer::generated_body())
            .send()
            .await
            .unwrap();
        black_box(r.into_inner());
    }

    /// The Platform's baseline request with the generated types (see
    /// `nexus_same_types`).
    #[cfg(feature = "platform-v20250224")]
    async fn platform_same_types(&self) {
        let r = self
            .http
            .post(format!("{}/platform/users/{USER}/members", self.base))
            .header("Authorization", &self.basic)
            .header("Accept", platform_peer::MEDIA)
            .header("Accept-Version", platform_peer::VERSION)
            .header("Content-Type", "application/json")
            .header("User-Agent", "hand-written/1")
            .body(serde_json::to_vec(&platform_peer::generated_body()).unwrap())
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
        let bytes = r.bytes().await.unwrap();
        black_box(
            serde_json::from_slice::<platform_peer::platform::types::MemberResponseBody>(&bytes)
                .unwrap(),
        );
    }

    #[cfg(feature = "platform-v20250224")]
    async fn platform_baseline(&self) {
        let r = self
            .http
            .post(format!("{}/platform/users/{USER}/members", self.base))
            .header("Authorization", &self.basic)
            .header("Accept", platform_peer::MEDIA)
            .header("Accept-Version", platform_peer::VERSION)
            .header("Content-Type", "application/json")
            .header("User-Agent", "hand-written/1")
            .body(serde_json::to_vec(&atrium_baseline_body()).unwrap())
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
        let bytes = r.bytes().await.unwrap();
        black_box(serde_json::from_slice::<platform_peer::HResponse>(&bytes).unwrap());
    }
}

/// One of the requests `Peers` makes.
#[derive(Clone, Copy)]
enum Call {
    NexusGenerated,
    NexusBaseline,
    NexusHooks,
    NexusSameTypes,
    AtriumGenerated,
    AtriumBaseline,
    #[cfg(feature = "platform-v20250224")]
    PlatformGenerated,
    #[cfg(feature = "platform-v20250224")]
    PlatformBaseline,
    #[cfg(feature = "platform-v20250224")]
    PlatformSameTypes,
}

impl Call {
    /// Each call by the name `MX_BENCH_COUNT` gives it.
    const ALL: &'static [(&'static str, Call)] = &[
        ("nexus_generated", Call::NexusGenerated),
        ("nexus_baseline", Call::NexusBaseline),
        ("nexus_hooks", Call::NexusHooks),
        ("nexus_same_types", Call::NexusSameTypes),
        ("atrium_generated", Call::AtriumGenerated),
        ("atrium_baseline", Call::AtriumBaseline),
        #[cfg(feature = "platform-v20250224")]
        ("platform_generated", Call::PlatformGenerated),
        #[cfg(feature = "platform-v20250224")]
        ("platform_baseline", Call::PlatformBaseline),
        #[cfg(feature = "platform-v20250224")]
        ("platform_same_types", Call::PlatformSameTypes),
    ];
}

impl Peers {
    async fn call(&self, call: Call) {
        match call {
            Call::NexusGenerated => self.nexus_generated().await,
            Call::NexusBaseline => self.nexus_baseline().await,
            Call::NexusHooks => self.nexus_hooks().await,
            Call::NexusSameTypes => self.nexus_same_types().await,
            Call::AtriumGenerated => self.atrium_generated().await,
            Call::AtriumBaseline => self.atrium_baseline().await,
            #[cfg(feature = "platform-v20250224")]
            Call::PlatformGenerated => self.platform_generated().await,
            #[cfg(feature = "platform-v20250224")]
            Call::PlatformBaseline => self.platform_baseline().await,
            #[cfg(feature = "platform-v20250224")]
            Call::PlatformSameTypes => self.platform_same_types().await,
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
            mx_client::ClientId::new("cid"),
            mx_client::ApiKey::new("key"),
        )
        .unwrap(),
        #[cfg(feature = "platform-v20250224")]
        pf: platform_peer::platform::Client::from_environment(
            platform_peer::platform::Environment::Custom(format!("{base}/platform")),
            mx_client::ClientId::new("cid"),
            mx_client::ApiKey::new("key"),
        )
        .unwrap(),
        http: reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .connect_timeout(std::time::Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        base,
        // base64("cid:key")
        #[cfg(feature = "platform-v20250224")]
        basic: "Basic Y2lkOmtleQ==".to_string(),
    }
}

/// The runtime of the round-trip measurements: the client on the calling
/// thread, the server on one worker thread (a request wakes the other
/// thread and back, as a server in another process would).
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// Client and server on one thread: no wake-ups between threads, so the
/// round trip is shorter and the client's own work weighs more; repeatable
/// enough for an instruction count.
fn one_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
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
    #[cfg(feature = "platform-v20250224")]
    {
        let mut g = c.benchmark_group("create_member_platform");
        g.bench_function("generated", |b| {
            b.to_async(&rt).iter(|| p.platform_generated())
        });
        g.bench_function("baseline", |b| {
            b.to_async(&rt).iter(|| p.platform_baseline())
        });
        g.finish();
    }
}

/// `values`' median.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// generated / baseline of one comparison on one runtime.
struct Ratio {
    /// The ratio of the median round trips, over all pairs.
    median: f64,
    /// The lowest and highest ratio of the `BLOCKS` runs of pairs.
    low: f64,
    high: f64,
    /// The baseline's median round trip, in nanoseconds.
    baseline_ns: f64,
}

/// `generated` against `baseline`, request by request: `pairs` pairs, the
/// order alternating (generated first, then baseline first), each request
/// timed on its own. A machine whose speed drifts (seen here: the same
/// request 58 µs, then 72 µs minutes later) moves both sides of a pair
/// alike. The ratio is of the medians; the range is over `BLOCKS`
/// consecutive runs of pairs.
fn interleaved(
    rt: &tokio::runtime::Runtime,
    p: &Peers,
    generated: Call,
    baseline: Call,
    pairs: usize,
) -> Ratio {
    const BLOCKS: usize = 20;
    let time = |call: Call| async move {
        let started = std::time::Instant::now();
        p.call(call).await;
        started.elapsed().as_nanos() as f64
    };
    let (mut g, mut b) = rt.block_on(async {
        // Warm both sides (connections, caches).
        for _ in 0..200 {
            time(generated).await;
            time(baseline).await;
        }
        let (mut g, mut b) = (Vec::with_capacity(pairs), Vec::with_capacity(pairs));
        for i in 0..pairs {
            if i % 2 == 0 {
                g.push(time(generated).await);
                b.push(time(baseline).await);
            } else {
                b.push(time(baseline).await);
                g.push(time(generated).await);
            }
        }
        (g, b)
    });
    let block = pairs.div_ceil(BLOCKS);
    let blocks: Vec<f64> = g
        .chunks_mut(block)
        .zip(b.chunks_mut(block))
        .map(|(g, b)| median(g) / median(b))
        .collect();
    let baseline_ns = median(&mut b);
    Ratio {
        median: median(&mut g) / baseline_ns,
        low: blocks.iter().copied().fold(f64::INFINITY, f64::min),
        high: blocks.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        baseline_ns,
    }
}

/// The paired ratios: each comparison on the two-thread runtime (the round
/// trip the target is about) and on one thread (the client's work against
/// a shorter round trip), plus the baseline against itself, which shows
/// how far a ratio moves by chance. `MX_BENCH_PAIRS` sets the number of
/// pairs (20,000). Writes `$CARGO_TARGET_DIR/criterion/paired/<name>.json`
/// for `cargo xtask bench-report`.
fn paired() {
    let pairs: usize = std::env::var("MX_BENCH_PAIRS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let out = target.join("criterion/paired");
    std::fs::create_dir_all(&out).unwrap();
    let comparisons: &[(&str, Call, Call)] = &[
        (
            "create_member_nexus",
            Call::NexusGenerated,
            Call::NexusBaseline,
        ),
        (
            "create_member_atrium",
            Call::AtriumGenerated,
            Call::AtriumBaseline,
        ),
        #[cfg(feature = "platform-v20250224")]
        (
            "create_member_platform",
            Call::PlatformGenerated,
            Call::PlatformBaseline,
        ),
        (
            "create_member_nexus_hooks",
            Call::NexusHooks,
            Call::NexusBaseline,
        ),
        (
            "create_member_nexus_against_same_types",
            Call::NexusGenerated,
            Call::NexusSameTypes,
        ),
        #[cfg(feature = "platform-v20250224")]
        (
            "create_member_platform_against_same_types",
            Call::PlatformGenerated,
            Call::PlatformSameTypes,
        ),
        (
            "baseline_against_itself",
            Call::NexusBaseline,
            Call::NexusBaseline,
        ),
    ];
    let two = runtime();
    let two_peers = peers(&two);
    let one = one_thread();
    let one_peers = peers(&one);
    for &(name, generated, baseline) in comparisons {
        let t = interleaved(&two, &two_peers, generated, baseline, pairs);
        let s = interleaved(&one, &one_peers, generated, baseline, pairs);
        println!(
            "paired {name}: generated / baseline = {:.3} ({:.3} – {:.3}) over {:.1} µs; one thread {:.3} ({:.3} – {:.3}) over {:.1} µs",
            t.median,
            t.low,
            t.high,
            t.baseline_ns / 1e3,
            s.median,
            s.low,
            s.high,
            s.baseline_ns / 1e3,
        );
        std::fs::write(
            out.join(format!("{name}.json")),
            format!(
                r#"{{"median": {}, "low": {}, "high": {}, "baseline_ns": {}, "one_thread_median": {}, "one_thread_low": {}, "one_thread_high": {}, "one_thread_baseline_ns": {}, "pairs": {pairs}}}"#,
                t.median, t.low, t.high, t.baseline_ns, s.median, s.low, s.high, s.baseline_ns
            ),
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

/// `MX_BENCH_COUNT=<call>:<n>`: only `n` requests of one call (after one
/// that opens the connection), on one thread, and nothing else; `cargo
/// xtask bench-instructions` counts their instructions under valgrind.
fn count_only() -> bool {
    let Ok(spec) = std::env::var("MX_BENCH_COUNT") else {
        return false;
    };
    let (name, n) = spec.split_once(':').expect("MX_BENCH_COUNT=<call>:<n>");
    let call = Call::ALL
        .iter()
        .find(|(known, _)| *known == name)
        .unwrap_or_else(|| panic!("unknown call `{name}`"))
        .1;
    let n: usize = n.parse().expect("MX_BENCH_COUNT=<call>:<n>");
    let rt = one_thread();
    let p = peers(&rt);
    rt.block_on(async {
        for _ in 0..=n {
            p.call(call).await;
        }
    });
    true
}

fn main() {
    if count_only() {
        return;
    }
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
