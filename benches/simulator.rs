//! Simulator throughput: create-then-read of a member with 1, 8 and 64
//! concurrent clients (each iteration: every client creates a user, a
//! member on it, and reads the member back: 3 requests).
//!
//! `cargo bench --bench simulator`

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mx_client::atrium::types;
use mx_client::sim;

fn member_body() -> types::MemberCreateRequestBody {
    types::MemberCreateRequestBody {
        member: types::MemberCreateRequest {
            credentials: vec![
                types::CredentialRequest {
                    guid: Some("CRD-1ec152cd-e628-e81a-e852-d1e7104624da".into()),
                    value: Some("u".into()),
                },
                types::CredentialRequest {
                    guid: Some("CRD-2b4c7d1e-9f3a-4e6b-8c2d-5a7f9e1b3c4d".into()),
                    value: Some("p".into()),
                },
            ],
            skip_aggregation: Some(true),
            ..types::MemberCreateRequest::new("mxbank")
        },
    }
}

fn throughput(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(sim::start()).unwrap();
    let client = server.atrium_client().unwrap();
    let mut g = c.benchmark_group("simulator_create_then_read");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    for clients in [1usize, 8, 64] {
        g.throughput(Throughput::Elements(3 * clients as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(clients),
            &clients,
            |b, &clients| {
                b.to_async(&rt).iter(|| {
                    let client = client.clone();
                    async move {
                        let tasks: Vec<_> = (0..clients)
                            .map(|_| {
                                let a = client.clone();
                                tokio::spawn(async move {
                                    let user = a
                                        .create_user()
                                        .body(types::UserCreateRequestBody {
                                            user: Default::default(),
                                        })
                                        .send()
                                        .await
                                        .unwrap()
                                        .into_inner()
                                        .user;
                                    let u = user.guid.unwrap();
                                    let m = a
                                        .create_member()
                                        .user_guid(&u)
                                        .body(member_body())
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
                                })
                            })
                            .collect();
                        for t in tasks {
                            t.await.unwrap();
                        }
                    }
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
