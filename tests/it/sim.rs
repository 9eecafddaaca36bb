//! The simulator: MX's rules, spec-true answers, concurrency.

use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::TryStreamExt;
use mx_client::atrium::{self, types as at};
use mx_client::nexus::{self, types as nt};
use mx_sim::{self as sim, Config, Simulator, DEMO_USER_GUID};

use crate::common::{atrium_client, nexus_client};
use mx_client::{ConnectionStatus, Error};

const ATRIUM: &str = "application/vnd.mx.atrium.v1+json";
const NEXUS: &str = "application/vnd.mx.nexus.v1+json";
const MXBANK_LOGIN: &str = "CRD-1ec152cd-e628-e81a-e852-d1e7104624da";
const MXBANK_PASSWORD: &str = "CRD-2b4c7d1e-9f3a-4e6b-8c2d-5a7f9e1b3c4d";
const CHASE_LOGIN: &str = "CRD-18cd14ce-2628-5eb6-ae17-b11f89d0b667";
const CHASE: &str = "INS-1572a04c-912b-59bf-5841-332c7dfafaef";
const TEST_BANK: &str = "INS-f1a3285d-e855-b68f-6aa7-8ae775c0e0e9";

/// The simulator's demo Atrium credentials, as raw headers.
const ATRIUM_AUTH: [(&str, &str); 2] = [
    ("mx-api-key", sim::DEMO_API_KEY),
    ("mx-client-id", sim::DEMO_CLIENT_ID),
];
/// The same, with the versioned `Accept`.
const ATRIUM_REQUEST: [(&str, &str); 3] = [ATRIUM_AUTH[0], ATRIUM_AUTH[1], ("accept", ATRIUM)];

async fn start(aggregation_ms: u64) -> Simulator {
    sim::start_with(
        Config {
            aggregation_time: Duration::from_millis(aggregation_ms),
            ..Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap()
}

fn atrium_member(institution: &str, creds: &[(&str, &str)]) -> at::MemberCreateRequestBody {
    at::MemberCreateRequestBody {
        member: at::MemberCreateRequest {
            credentials: creds
                .iter()
                .map(|(g, v)| at::CredentialRequest {
                    guid: Some(g.to_string()),
                    value: Some((*v).into()),
                })
                .collect(),
            ..at::MemberCreateRequest::new(institution)
        },
    }
}

fn nexus_member(creds: &[(&str, &str)]) -> nt::MemberCreateRequestBody {
    nt::MemberCreateRequestBody {
        member: Some(nt::MemberCreateRequest {
            credentials: creds
                .iter()
                .map(|(g, v)| nt::MemberCreateRequestCredentialsItem {
                    credential_guid: Some(g.to_string()),
                    value: Some((*v).into()),
                })
                .collect(),
            ..nt::MemberCreateRequest::new(CHASE)
        }),
    }
}

async fn raw(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, String, String) {
    mx_client::install_crypto_provider();
    let client = reqwest::Client::new();
    let mut req = client.request(method.parse().unwrap(), url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, ct, resp.text().await.unwrap())
}

#[tokio::test]
async fn auth_is_required_and_checked() {
    let sim = start(0).await;
    let url = format!("{}/institutions", sim.atrium_base_url());
    let (status, ct, body) = raw("GET", &url, &[("accept", ATRIUM)], None).await;
    assert_eq!(status, 401);
    assert_eq!(ct, ATRIUM);
    assert!(body.contains("MX-API-Key"), "{body}");

    let wrong = atrium::Client::from_environment(
        atrium::Environment::Custom(sim.atrium_base_url()),
        "wrong-key",
        sim::DEMO_CLIENT_ID,
    )
    .unwrap();
    let err: Error = wrong.list_institutions().send().await.unwrap_err().into();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");

    let url = format!("{}/members", sim.nexus_base_url());
    let (status, _, body) = raw("POST", &url, &[("accept", NEXUS)], Some("{}")).await;
    assert_eq!(status, 401);
    assert!(body.contains("\"code\":4010"), "{body}");
}

/// What the simulator does not serve is answered in the API's JSON error
/// shape: 501 for an operation MX documents, 405 for a documented path
/// under another method, 404 for what the API does not have.
#[tokio::test]
async fn unserved_requests_get_json_errors_the_clients_decode() {
    let sim = start(0).await;
    let a = atrium_client(&sim);
    let err: Error = a
        .list_user_accounts()
        .user_guid(DEMO_USER_GUID)
        .send()
        .await
        .unwrap_err()
        .into();
    match &err {
        Error::Server(e) => {
            assert_eq!(e.status, 501);
            assert!(
                e.message
                    .as_deref()
                    .is_some_and(|m| m.contains("not served by the simulator")),
                "{e:?}"
            );
        }
        other => panic!("expected a 501, got {other:?}"),
    }
    assert!(!err.is_retryable());

    let auth = ATRIUM_REQUEST;
    let base = sim.atrium_base_url();
    let (status, ct, body) = raw("DELETE", &format!("{base}/institutions"), &auth, None).await;
    assert_eq!((status, ct.as_str()), (405, ATRIUM), "{body}");
    assert!(body.contains("takes GET"), "{body}");
    let (status, ct, body) = raw("GET", &format!("{base}/no/such/path"), &auth, None).await;
    assert_eq!((status, ct.as_str()), (404, ATRIUM), "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("/no/such/path"));
    // A page past any end, even the last i64, is an empty page, not a fault.
    let (status, _, body) = raw(
        "GET",
        &format!("{base}/users?page=9223372036854775807&records_per_page=1000"),
        &auth,
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["users"], serde_json::json!([]));
    // Still behind auth, and Nexus answers with its code.
    let (status, _, _) = raw("GET", &format!("{base}/no/such/path"), &[], None).await;
    assert_eq!(status, 401);
    let (status, ct, body) = raw(
        "GET",
        &format!("{}/members", sim.nexus_base_url()),
        &[
            ("md-session-token", sim::DEMO_SESSION_TOKEN),
            ("accept", NEXUS),
        ],
        None,
    )
    .await;
    assert_eq!((status, ct.as_str()), (405, NEXUS), "{body}");
    assert!(body.contains("\"code\":4050"), "{body}");
    let (status, _, body) = raw(
        "GET",
        &format!("http://{}/elsewhere", sim.addr()),
        &[],
        None,
    )
    .await;
    assert_eq!(status, 404, "{body}");
}

#[tokio::test]
async fn an_accept_without_the_api_version_is_406() {
    let sim = start(0).await;
    let url = format!("{}/institutions", sim.atrium_base_url());
    let auth = ATRIUM_AUTH;
    for accept in [
        "application/json",
        "*/*",
        "application/vnd.mx.atrium.v2+json",
    ] {
        let mut h = auth.to_vec();
        h.push(("accept", accept));
        let (status, _, _) = raw("GET", &url, &h, None).await;
        assert_eq!(status, 406, "Accept: {accept}");
    }
    let mut h = auth.to_vec();
    h.push(("accept", ATRIUM));
    assert_eq!(raw("GET", &url, &h, None).await.0, 200);

    let url = format!("{}/members", sim.nexus_base_url());
    let (status, _, _) = raw(
        "POST",
        &url,
        &[
            ("md-session-token", sim::DEMO_SESSION_TOKEN),
            ("accept", "application/json"),
        ],
        Some("{}"),
    )
    .await;
    assert_eq!(status, 406);
}

#[tokio::test]
async fn a_missing_required_field_is_400_naming_it() {
    let sim = start(0).await;
    let url = format!("{}/users/{DEMO_USER_GUID}/members", sim.atrium_base_url());
    let h = ATRIUM_REQUEST;
    let (status, _, body) = raw(
        "POST",
        &url,
        &h,
        Some(r#"{"member": {"skip_aggregation": true}}"#),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("institution_code"), "{body}");

    let url = format!("{}/members", sim.nexus_base_url());
    let h = [
        ("md-session-token", sim::DEMO_SESSION_TOKEN),
        ("accept", NEXUS),
    ];
    let (status, ct, body) = raw("POST", &url, &h, Some(r#"{"member": {"is_oauth": true}}"#)).await;
    assert_eq!(status, 400);
    assert_eq!(ct, NEXUS);
    assert!(
        body.contains("institution_guid") && body.contains("\"code\":4000"),
        "{body}"
    );
}

#[tokio::test]
async fn duplicates_are_refused_as_mx_does() {
    let sim = start(0).await;
    let atrium = atrium_client(&sim);
    let body = atrium_member("mxbank", &[(MXBANK_LOGIN, "u"), (MXBANK_PASSWORD, "p")]);
    atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    let err: Error = atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(body)
        .send()
        .await
        .unwrap_err()
        .into();
    assert!(
        matches!(&err, Error::Conflict(e) if e.status == 409),
        "{err:?}"
    );
    // Other credentials at the same institution are another member.
    atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(atrium_member(
            "mxbank",
            &[(MXBANK_LOGIN, "u2"), (MXBANK_PASSWORD, "p")],
        ))
        .send()
        .await
        .unwrap();

    let nexus = nexus_client(&sim);
    let body = nexus_member(&[(CHASE_LOGIN, "u")]);
    nexus
        .create_member()
        .body(body.clone())
        .send()
        .await
        .unwrap();
    let err: Error = nexus
        .create_member()
        .body(body)
        .send()
        .await
        .unwrap_err()
        .into();
    assert!(
        matches!(&err, Error::Conflict(e) if e.status == 422 && e.code == Some(4220)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_standard_member_aggregates_then_connects_unless_skipped() {
    let sim = start(150).await;
    let atrium = atrium_client(&sim);
    let created = atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(atrium_member(
            "mxbank",
            &[(MXBANK_LOGIN, "u"), (MXBANK_PASSWORD, "p")],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 202);
    let m = created.into_inner().member;
    assert_eq!(m.is_being_aggregated, Some(true));
    assert!(m.aggregated_at.is_some());
    assert_ne!(m.connection_status, Some(ConnectionStatus::Connected));
    let guid = m.guid.unwrap();

    tokio::time::sleep(Duration::from_millis(250)).await;
    let m = atrium
        .read_member()
        .user_guid(DEMO_USER_GUID)
        .member_guid(&guid)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(m.connection_status, Some(ConnectionStatus::Connected));
    assert_eq!(m.is_being_aggregated, Some(false));
    assert!(m.successfully_aggregated_at.is_some());

    let mut body = atrium_member("mxbank", &[(MXBANK_LOGIN, "other"), (MXBANK_PASSWORD, "p")]);
    body.member.skip_aggregation = Some(true);
    let m = atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(m.is_being_aggregated, Some(false));
    assert_eq!(m.aggregated_at, None);
    assert_eq!(m.connection_status, Some(ConnectionStatus::Created));

    let nexus = nexus_client(&sim);
    let mut body = nexus_member(&[(CHASE_LOGIN, "u")]);
    body.member.as_mut().unwrap().skip_aggregation = Some(true);
    let m = nexus
        .create_member()
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member
        .unwrap();
    assert_eq!(m.is_being_aggregated, Some(false));
    assert_eq!(m.aggregated_at, None);
}

#[tokio::test]
async fn an_oauth_window_works_once_then_the_member_connects() {
    let sim = start(0).await;
    let atrium = atrium_client(&sim);
    let body = at::MemberCreateRequestBody {
        member: at::MemberCreateRequest {
            is_oauth: Some(true),
            ..at::MemberCreateRequest::new("mxbank_oauth")
        },
    };
    let m = atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(m.connection_status, Some(ConnectionStatus::Pending));
    let url = m.oauth_window_url().unwrap().unwrap();
    assert!(url
        .as_str()
        .starts_with(&format!("http://{}/oauth/", sim.addr())));
    assert_eq!(
        reqwest::get(url.clone()).await.unwrap().status().as_u16(),
        200
    );
    assert_eq!(reqwest::get(url).await.unwrap().status().as_u16(), 410);
    tokio::time::sleep(Duration::from_millis(20)).await;
    let status = atrium
        .read_member_status()
        .user_guid(DEMO_USER_GUID)
        .member_guid(m.guid.as_deref().unwrap())
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(status.connection_status, Some(ConnectionStatus::Connected));

    // A fresh window can be asked for; each is new.
    let again = atrium
        .read_o_auth_window_uri()
        .user_guid(DEMO_USER_GUID)
        .member_guid(m.guid.as_deref().unwrap())
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_ne!(again.oauth_window_uri, m.oauth_window_uri);

    let nexus = nexus_client(&sim);
    let body = nt::MemberCreateRequestBody {
        member: Some(nt::MemberCreateRequest {
            is_oauth: Some(true),
            ..nt::MemberCreateRequest::new(CHASE)
        }),
    };
    let m = nexus
        .create_member()
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member
        .unwrap();
    assert_eq!(m.connection_status, Some(ConnectionStatus::Pending));
    let uri = m.oauth_window_uri.unwrap();
    assert_eq!(reqwest::get(&uri).await.unwrap().status().as_u16(), 200);
    assert_eq!(reqwest::get(&uri).await.unwrap().status().as_u16(), 410);
}

#[tokio::test]
async fn nexus_connection_status_only_for_test_institutions_and_skip_webhook_accepted() {
    let sim = start(0).await;
    let nexus = nexus_client(&sim);
    let mut body = nexus_member(&[]);
    body.member.as_mut().unwrap().connection_status = Some(ConnectionStatus::Challenged);
    body.member.as_mut().unwrap().is_oauth = Some(true);
    let err: Error = nexus
        .create_member()
        .body(body)
        .send()
        .await
        .unwrap_err()
        .into();
    assert!(
        matches!(&err, Error::BadRequest(e) if e.message.as_deref().unwrap().contains("test institution")),
        "{err:?}"
    );

    let body = nt::MemberCreateRequestBody {
        member: Some(nt::MemberCreateRequest {
            connection_status: Some(ConnectionStatus::Challenged),
            is_oauth: Some(true),
            skip_webhook: Some(true),
            ..nt::MemberCreateRequest::new(TEST_BANK)
        }),
    };
    let m = nexus
        .skip_webhook()
        .create_member()
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member
        .unwrap();
    assert_eq!(m.connection_status, Some(ConnectionStatus::Challenged));
}

#[tokio::test]
async fn users_and_members_have_their_whole_lifecycle() {
    let sim = start(0).await;
    let atrium = atrium_client(&sim);
    let user = atrium
        .create_user()
        .body(at::UserCreateRequestBody {
            user: at::User {
                identifier: Some("partner-user-1".into()),
                metadata: Some("{}".into()),
                ..Default::default()
            },
        })
        .send()
        .await
        .unwrap()
        .into_inner()
        .user;
    let u = user.guid.clone().unwrap();
    assert_eq!(
        atrium
            .read_user()
            .user_guid(&u)
            .send()
            .await
            .unwrap()
            .into_inner()
            .user,
        user
    );
    let updated = atrium
        .update_user()
        .user_guid(&u)
        .body(at::UserUpdateRequestBody {
            user: at::User {
                metadata: Some("{\"tier\": 2}".into()),
                ..Default::default()
            },
        })
        .send()
        .await
        .unwrap()
        .into_inner()
        .user;
    assert_eq!(updated.metadata.as_deref(), Some("{\"tier\": 2}"));
    assert_eq!(updated.identifier.as_deref(), Some("partner-user-1"));

    let m = atrium
        .create_member()
        .user_guid(&u)
        .body(atrium_member(
            "mxbank",
            &[(MXBANK_LOGIN, "u"), (MXBANK_PASSWORD, "p")],
        ))
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    let g = m.guid.clone().unwrap();
    let listed: Vec<at::Member> = atrium
        .list_members()
        .user_guid(&u)
        .stream_all()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    let changed = atrium
        .update_member()
        .user_guid(&u)
        .member_guid(&g)
        .body(at::MemberUpdateRequestBody {
            member: at::MemberUpdateRequest {
                identifier: Some("renamed".into()),
                ..Default::default()
            },
        })
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(changed.identifier.as_deref(), Some("renamed"));
    atrium
        .delete_member()
        .user_guid(&u)
        .member_guid(&g)
        .send()
        .await
        .unwrap();
    let err: Error = atrium
        .read_member()
        .user_guid(&u)
        .member_guid(&g)
        .send()
        .await
        .unwrap_err()
        .into();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    atrium.delete_user().user_guid(&u).send().await.unwrap();
    let err: Error = atrium
        .read_user()
        .user_guid(&u)
        .send()
        .await
        .unwrap_err()
        .into();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    let err: Error = atrium
        .read_institution()
        .institution_code("no_such_bank")
        .send()
        .await
        .unwrap_err()
        .into();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn the_development_limit_of_25_members_per_user_is_405() {
    let sim = start(0).await;
    let atrium = atrium_client(&sim);
    for i in 0..25 {
        let v = format!("user{i}");
        atrium
            .create_member()
            .user_guid(DEMO_USER_GUID)
            .body(atrium_member(
                "mxbank",
                &[(MXBANK_LOGIN, v.as_str()), (MXBANK_PASSWORD, "p")],
            ))
            .send()
            .await
            .unwrap();
    }
    let err: Error = atrium
        .create_member()
        .user_guid(DEMO_USER_GUID)
        .body(atrium_member(
            "mxbank",
            &[(MXBANK_LOGIN, "one-more"), (MXBANK_PASSWORD, "p")],
        ))
        .send()
        .await
        .unwrap_err()
        .into();
    assert!(matches!(err, Error::MethodNotAllowed(_)), "{err:?}");
}

#[tokio::test]
async fn pagination_is_real() {
    let sim = start(0).await;
    let atrium = atrium_client(&sim);
    for _ in 0..20 {
        atrium
            .create_user()
            .body(at::UserCreateRequestBody {
                user: Default::default(),
            })
            .send()
            .await
            .unwrap();
    }
    let page = atrium
        .list_users()
        .page(3)
        .records_per_page(7)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.users.len(), 7);
    let p = page.pagination.unwrap();
    assert_eq!(
        (p.current_page, p.per_page, p.total_entries, p.total_pages),
        (Some(3), Some(7), Some(21), Some(3))
    );
    let all: Vec<at::User> = atrium
        .list_users()
        .records_per_page(4)
        .stream_all()
        .try_collect()
        .await
        .unwrap();
    let guids: BTreeSet<_> = all.iter().map(|u| u.guid.clone().unwrap()).collect();
    assert_eq!(all.len(), 21);
    assert_eq!(guids.len(), 21);
}

/// The simulator's routes are exactly the operations of both specs (the
/// generated clients' wire tables).
#[tokio::test]
async fn the_simulator_serves_every_operation_of_both_specs() {
    let sim = start(0).await;
    for (api, wire) in [("atrium", &atrium::WIRE), ("nexus", &nexus::WIRE)] {
        let spec: BTreeSet<(String, String)> = wire
            .operations
            .iter()
            .map(|o| (o.method.to_string(), o.path.to_string()))
            .collect();
        let served: BTreeSet<(String, String)> = sim
            .operations(api)
            .into_iter()
            .map(|o| (o.method, o.template.text))
            .collect();
        assert_eq!(spec, served, "{api}");
    }
}

/// Every operation the simulator serves, called through the generated
/// client: each answer decodes into the spec's types.
#[tokio::test]
async fn every_served_operation_decodes_with_the_generated_types() {
    let sim = start(0).await;
    let a = atrium_client(&sim);
    let u = DEMO_USER_GUID;
    let mut called = BTreeSet::new();
    macro_rules! call {
        ($name:literal, $e:expr) => {{
            let r = $e.await.unwrap_or_else(|e| panic!("{}: {e:?}", $name));
            called.insert($name);
            r.into_inner()
        }};
    }
    call!("list_institutions", a.list_institutions().send());
    call!(
        "read_institution",
        a.read_institution().institution_code("mxbank").send()
    );
    call!(
        "read_institution_credentials",
        a.read_institution_credentials()
            .institution_code("mxbank")
            .send()
    );
    let user = call!(
        "create_user",
        a.create_user()
            .body(at::UserCreateRequestBody {
                user: Default::default()
            })
            .send()
    );
    let nu = user.user.guid.unwrap();
    call!("list_users", a.list_users().send());
    call!("read_user", a.read_user().user_guid(&nu).send());
    call!(
        "update_user",
        a.update_user()
            .user_guid(&nu)
            .body(at::UserUpdateRequestBody {
                user: Default::default()
            })
            .send()
    );
    let m = call!(
        "create_member",
        a.create_member()
            .user_guid(u)
            .body(atrium_member(
                "mxbank",
                &[(MXBANK_LOGIN, "u"), (MXBANK_PASSWORD, "p")]
            ))
            .send()
    );
    let g = m.member.guid.unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    call!("list_members", a.list_members().user_guid(u).send());
    call!(
        "read_member",
        a.read_member().user_guid(u).member_guid(&g).send()
    );
    call!(
        "update_member",
        a.update_member()
            .user_guid(u)
            .member_guid(&g)
            .body(at::MemberUpdateRequestBody {
                member: Default::default()
            })
            .send()
    );
    call!(
        "read_member_status",
        a.read_member_status().user_guid(u).member_guid(&g).send()
    );
    call!(
        "aggregate_member",
        a.aggregate_member().user_guid(u).member_guid(&g).send()
    );
    call!(
        "aggregate_member_balances",
        a.aggregate_member_balances()
            .user_guid(u)
            .member_guid(&g)
            .send()
    );
    call!(
        "extend_history",
        a.extend_history().user_guid(u).member_guid(&g).send()
    );
    tokio::time::sleep(Duration::from_millis(20)).await;
    let accounts = call!(
        "list_member_accounts",
        a.list_member_accounts().user_guid(u).member_guid(&g).send()
    );
    assert_eq!(accounts.accounts.len(), 2);
    let txns = call!(
        "list_member_transactions",
        a.list_member_transactions()
            .user_guid(u)
            .member_guid(&g)
            .send()
    );
    assert_eq!(txns.transactions.len(), 4);
    call!(
        "list_member_credentials",
        a.list_member_credentials()
            .user_guid(u)
            .member_guid(&g)
            .send()
    );
    call!(
        "list_member_mfa_challenges",
        a.list_member_mfa_challenges()
            .user_guid(u)
            .member_guid(&g)
            .send()
    );
    call!(
        "resume_member",
        a.resume_member()
            .user_guid(u)
            .member_guid(&g)
            .body(at::MemberResumeRequestBody {
                member: Default::default()
            })
            .send()
    );
    let oauth = call!(
        "create_member",
        a.create_member()
            .user_guid(u)
            .body(at::MemberCreateRequestBody {
                member: at::MemberCreateRequest {
                    is_oauth: Some(true),
                    ..at::MemberCreateRequest::new("mxbank_oauth")
                }
            })
            .send()
    );
    call!(
        "read_o_auth_window_uri",
        a.read_o_auth_window_uri()
            .user_guid(u)
            .member_guid(oauth.member.guid.as_deref().unwrap())
            .send()
    );
    call!(
        "delete_member",
        a.delete_member().user_guid(u).member_guid(&g).send()
    );
    call!("delete_user", a.delete_user().user_guid(&nu).send());

    let n = nexus_client(&sim);
    n.create_member()
        .body(nexus_member(&[(CHASE_LOGIN, "x")]))
        .send()
        .await
        .unwrap();

    let served: BTreeSet<&str> = atrium::WIRE
        .operations
        .iter()
        .filter(|o| {
            ["users", "members", "institutions"]
                .iter()
                .any(|t| o.tags.contains(t))
        })
        .map(|o| o.name)
        .collect();
    assert_eq!(
        called, served,
        "every user, member and institution operation is called above"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_concurrent_clients_lose_no_write() {
    let sim = start(0).await;
    let atrium = atrium_client(&sim);
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let a = atrium.clone();
            tokio::spawn(async move {
                let user = a
                    .create_user()
                    .body(at::UserCreateRequestBody {
                        user: at::User {
                            identifier: Some(format!("load-{i}")),
                            ..Default::default()
                        },
                    })
                    .send()
                    .await
                    .unwrap()
                    .into_inner()
                    .user;
                let u = user.guid.unwrap();
                a.create_member()
                    .user_guid(&u)
                    .body(atrium_member(
                        "mxbank",
                        &[(MXBANK_LOGIN, "u"), (MXBANK_PASSWORD, "p")],
                    ))
                    .send()
                    .await
                    .unwrap();
                u
            })
        })
        .collect();
    let mut created = BTreeSet::new();
    for t in tasks {
        created.insert(t.await.unwrap());
    }
    assert_eq!(created.len(), 32);
    let users: Vec<at::User> = atrium
        .list_users()
        .stream_all()
        .try_collect()
        .await
        .unwrap();
    let load_users: Vec<_> = users
        .iter()
        .filter(|u| {
            u.identifier
                .as_deref()
                .is_some_and(|i| i.starts_with("load-"))
        })
        .collect();
    assert_eq!(load_users.len(), 32);
    for u in load_users {
        let members: Vec<at::Member> = atrium
            .list_members()
            .user_guid(u.guid.as_deref().unwrap())
            .stream_all()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(members.len(), 1);
    }
}
