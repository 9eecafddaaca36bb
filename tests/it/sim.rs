//! The simulator: request checks, pagination, routes, concurrency, and the
//! helpers `sim_members` (MX's member rules) shares.

use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::TryStreamExt;
use mx_client::atrium::{self, types as at};
use mx_client::nexus::{self, types as nt};
use mx_sim::{self as sim, Config, Simulator, DEMO_USER_GUID};

use crate::common::atrium_client;
use mx_client::Error;

pub(crate) const ATRIUM: &str = "application/vnd.mx.atrium.v1+json";
pub(crate) const NEXUS: &str = "application/vnd.mx.nexus.v1+json";
pub(crate) const MXBANK_LOGIN: &str = "CRD-1ec152cd-e628-e81a-e852-d1e7104624da";
pub(crate) const MXBANK_PASSWORD: &str = "CRD-2b4c7d1e-9f3a-4e6b-8c2d-5a7f9e1b3c4d";
pub(crate) const CHASE_LOGIN: &str = "CRD-18cd14ce-2628-5eb6-ae17-b11f89d0b667";
pub(crate) const CHASE: &str = "INS-1572a04c-912b-59bf-5841-332c7dfafaef";
pub(crate) const TEST_BANK: &str = "INS-f1a3285d-e855-b68f-6aa7-8ae775c0e0e9";

/// The simulator's demo Atrium credentials, as raw headers.
const ATRIUM_AUTH: [(&str, &str); 2] = [
    ("mx-api-key", sim::DEMO_API_KEY),
    ("mx-client-id", sim::DEMO_CLIENT_ID),
];
/// The same, with the versioned `Accept`.
const ATRIUM_REQUEST: [(&str, &str); 3] = [ATRIUM_AUTH[0], ATRIUM_AUTH[1], ("accept", ATRIUM)];

pub(crate) async fn start(aggregation_ms: u64) -> Simulator {
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

pub(crate) fn atrium_member(
    institution: &str,
    creds: &[(&str, &str)],
) -> at::MemberCreateRequestBody {
    at::MemberCreateRequestBody::new(at::MemberCreateRequest {
        credentials: creds
            .iter()
            .map(|(g, v)| at::CredentialRequest {
                guid: Some(g.to_string()),
                value: Some((*v).into()),
                ..Default::default()
            })
            .collect(),
        ..at::MemberCreateRequest::new(institution)
    })
}

pub(crate) fn nexus_member(creds: &[(&str, &str)]) -> nt::MemberCreateRequestBody {
    nt::MemberCreateRequestBody::new(nt::MemberCreateRequest {
        credentials: creds
            .iter()
            .map(|(g, v)| nt::MemberCreateRequestCredentialsItem {
                credential_guid: Some(g.to_string()),
                value: Some((*v).into()),
                ..Default::default()
            })
            .collect(),
        ..nt::MemberCreateRequest::new(CHASE)
    })
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
        // Atrium's documented request media type, unless the test names one.
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            req = req.header("content-type", "application/json");
        }
        req = req.body(b.to_string());
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
    // MX does not document the wording; the message names the header
    // (header names are case-insensitive).
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let message = v["error"]["message"].as_str().unwrap().to_ascii_lowercase();
    assert!(message.contains("mx-api-key"), "{body}");

    let wrong = atrium::Client::from_environment(
        atrium::Environment::Custom(sim.atrium_base_url()),
        mx_client::ClientId::new(sim::DEMO_CLIENT_ID),
        mx_client::ApiKey::new("wrong-key"),
    )
    .unwrap();
    let err: Error = wrong.list_institutions().send().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");

    let url = format!("{}/members", sim.nexus_base_url());
    let (status, _, body) = raw("POST", &url, &[("accept", NEXUS)], Some("{}")).await;
    assert_eq!(status, 401);
    assert!(body.contains("\"code\":4010"), "{body}");
}

/// What no operation of the spec routes is answered in the API's JSON
/// error shape: 405 (with `Allow`) for a documented path under another
/// method, 404 for what the API does not have. (Every operation of both
/// specs is served: no 501 is left, see
/// `every_operation::every_operation_of_every_spec_decodes_through_the_generated_clients`.)
#[tokio::test]
async fn unrouted_requests_get_json_errors() {
    let sim = start(0).await;
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
    // Security is per operation (the spec's): a path no operation has is
    // 404 with or without credentials, a documented one without them 401.
    let (status, ct, _) = raw("GET", &format!("{base}/no/such/path"), &[], None).await;
    assert_eq!((status, ct.as_str()), (404, ATRIUM));
    let (status, _, _) = raw("GET", &format!("{base}/users"), &[], None).await;
    assert_eq!(status, 401);
    // Nexus answers with its code.
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
    let mut h = vec![
        ("md-session-token", sim::DEMO_SESSION_TOKEN),
        ("accept", NEXUS),
    ];
    // Nexus documents `Content-Type: application/vnd.mx.nexus.v1+json`:
    // plain JSON is 415, in Nexus's error shape.
    let json = Some(r#"{"member": {"is_oauth": true}}"#);
    let (status, ct, body) = raw("POST", &url, &h, json).await;
    assert_eq!((status, ct.as_str()), (415, NEXUS), "{body}");
    assert!(body.contains("\"code\":4150"), "{body}");
    h.push(("content-type", NEXUS));
    let (status, ct, body) = raw("POST", &url, &h, json).await;
    assert_eq!(status, 400);
    assert_eq!(ct, NEXUS);
    assert!(
        body.contains("institution_guid") && body.contains("\"code\":4000"),
        "{body}"
    );
}

#[tokio::test]
async fn pagination_is_real() {
    let sim = start(0).await;
    let atrium = atrium_client(&sim);
    for _ in 0..20 {
        atrium
            .create_user()
            .body(at::UserCreateRequestBody::new(at::User::default()))
            .send()
            .await
            .unwrap();
    }
    // The demo user and 20 more, 10 a page (MX's smallest page).
    let page = atrium
        .list_users()
        .page(2)
        .records_per_page(10)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.users.len(), 10);
    let p = page.pagination.unwrap();
    assert_eq!(
        (p.current_page, p.per_page, p.total_entries, p.total_pages),
        (Some(2), Some(10), Some(21), Some(3))
    );
    // MX accepts 10 to 1000 records a page: fewer is served as 10, more
    // falls back to 25 (mx-behaviour "Lists and errors").
    for (asked, served, last_page_len) in [(7, 10, 1), (1001, 25, 21)] {
        let last = atrium
            .list_users()
            .page(if served == 10 { 3 } else { 1 })
            .records_per_page(asked)
            .send()
            .await
            .unwrap()
            .into_inner();
        assert_eq!(last.users.len(), last_page_len, "records_per_page={asked}");
        assert_eq!(last.pagination.unwrap().per_page, Some(served));
    }
    let all: Vec<at::User> = atrium
        .list_users()
        .records_per_page(10)
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
    for (api, wire) in [
        ("atrium", mx_client::__private::wire_of::<atrium::Client>()),
        ("nexus", mx_client::__private::wire_of::<nexus::Client>()),
    ] {
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
                    .body(at::UserCreateRequestBody::new(at::User {
                        identifier: Some(format!("load-{i}")),
                        ..Default::default()
                    }))
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
