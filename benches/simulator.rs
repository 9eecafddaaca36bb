//! Simulator throughput: create-then-read of a member with 1, 8 and 64
//! concurrent clients (each iteration: every client creates a user, a
//! member on it, and reads the member back: 3 requests), through the
//! generated Atrium client.
//!
//! `cargo bench --bench simulator`

// Struct literals of generated types end in `..Default::default()` even when
// every field is set today: a field MX adds later must not break this code.
#![allow(clippy::needless_update)]

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mx_client::atrium::{types, Client, Environment};

/// A member create body for MX Bank with the credential GUIDs the
/// simulator lists (no struct literal of a generated type).
async fn member_body(a: &Client) -> types::MemberCreateRequest {
    let credentials = a
        .read_institution_credentials()
        .institution_code("mxbank")
        .send()
        .await
        .unwrap()
        .into_inner()
        .credentials
        .into_iter()
        .zip(["user", "password"])
        .map(|(c, value)| types::CredentialRequest {
            guid: c.guid,
            value: Some(value.into()),
            ..Default::default()
        })
        .collect();
    types::MemberCreateRequest {
        credentials,
        skip_aggregation: Some(true),
        ..types::MemberCreateRequest::new("mxbank")
    }
}

async fn create_then_read(a: Client, member: types::MemberCreateRequest) {
    let user = a
        .create_user()
        .body(types::UserCreateRequestBody::new(types::User::default()))
        .send()
        .await
        .unwrap()
        .into_inner()
        .user;
    let u = user.guid.unwrap();
    let m = a
        .create_member()
        .user_guid(&u)
        .body(types::MemberCreateRequestBody::new(member))
        .send()
        .await
        .unwrap()
        .into_inner();
    let g = m.member.guid.unwrap();
    a.read_member()
        .user_guid(&u)
        .member_guid(&g)
        .send()
        .await
        .unwrap();
}

fn throughput(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = |base_url: String| {
        Client::from_environment(
            Environment::Custom(base_url),
            mx_client::ClientId::new(mx_sim::DEMO_CLIENT_ID),
            mx_client::ApiKey::new(mx_sim::DEMO_API_KEY),
        )
        .unwrap()
    };
    // `MX_BENCH_SIMS=name=URL,name=URL` (`cargo xtask bench-sim`): running
    // simulators to drive, e.g. this one and an earlier commit's, in one
    // run; otherwise this crate's, in process.
    let external: Vec<(String, Client)> = std::env::var("MX_BENCH_SIMS")
        .unwrap_or_default()
        .split(',')
        .filter_map(|s| s.split_once('='))
        .map(|(name, url)| (name.to_string(), client(url.to_string())))
        .collect();
    let _in_process;
    let sims = if external.is_empty() {
        let sim = rt.block_on(mx_sim::start()).unwrap();
        let sims = vec![("mx-sim".to_string(), client(sim.atrium_base_url()))];
        _in_process = sim;
        sims
    } else {
        external
    };
    let bodies: Vec<_> = sims
        .iter()
        .map(|(_, c)| rt.block_on(member_body(c)))
        .collect();
    let mut g = c.benchmark_group("simulator_create_then_read");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    for clients in [1usize, 8, 64] {
        g.throughput(Throughput::Elements(3 * clients as u64));
        for ((name, client), member) in sims.iter().zip(&bodies) {
            run(&mut g, &rt, name, clients, client, member);
        }
    }
    g.finish();
}

fn run(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    rt: &tokio::runtime::Runtime,
    name: &str,
    clients: usize,
    client: &Client,
    member: &types::MemberCreateRequest,
) {
    {
        g.bench_with_input(BenchmarkId::new(name, clients), &clients, |b, &clients| {
            b.to_async(rt).iter(|| {
                let (client, member) = (client.clone(), member.clone());
                async move {
                    let tasks: Vec<_> = (0..clients)
                        .map(|_| tokio::spawn(create_then_read(client.clone(), member.clone())))
                        .collect();
                    for t in tasks {
                        t.await.unwrap();
                    }
                }
            })
        });
    }
}

criterion_group!(benches, throughput);
criterion_main!(benches);
