//! The Platform client on the wire (a recording server on 127.0.0.1) and
//! against the simulator's `/platform` (same world as Atrium).

use std::time::Duration;

use base64::Engine as _;
use futures_util::TryStreamExt;
use mx_client::lifecycle::mfa::Challenges;
use mx_client::lifecycle::resume::Answers;
use mx_client::lifecycle::{poll_member, PollConfig, Settled};
use mx_client::platform::{types, Client, Environment, SecurityScheme};
use mx_client::{ConnectionStatus, Error, UseCase};
use serde_json::json;

use crate::common::{serve, Recorded, Reply};

const VENDOR: &str = "application/vnd.mx.api.v1+json";
const CLIENT_ID: &str = "cid-5e8a1b2c-0f3d-4a7e-9c6b-d2e1f0a9b8c7";
const API_KEY: &str = "k-3c9f2d7a0e5b41f8a6d2c7e9b1f40a55";
const USER: &str = "USR-fa7537f3-48aa-a683-a02a-b18940482f54";
const MEMBER: &str = "MBR-7c6f361b-e582-15b6-60c0-358f12466b4b";
const MXBANK_LOGIN: &str = "CRD-1ec152cd-e628-e81a-e852-d1e7104624da";
const MXBANK_PASSWORD: &str = "CRD-2b4c7d1e-9f3a-4e6b-8c2d-5a7f9e1b3c4d";

fn client(base: &str) -> Client {
    Client::from_environment(Environment::Custom(base.into()), CLIENT_ID, API_KEY).unwrap()
}

/// Exactly the headers MX documents, and nothing else of ours.
fn assert_platform_headers(r: &Recorded, with_body: bool) {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{API_KEY}"));
    assert_eq!(
        r.header("authorization"),
        Some(format!("Basic {basic}").as_str())
    );
    assert_eq!(r.headers.get_all("authorization").iter().count(), 1);
    assert_eq!(r.header("accept"), Some(VENDOR));
    assert_eq!(r.headers.get_all("accept").iter().count(), 1);
    for stray in [
        "api-version",
        "mx-api-key",
        "mx-client-id",
        "md-session-token",
    ] {
        assert_eq!(r.header(stray), None, "{stray}");
    }
    assert_eq!(
        r.header("content-type"),
        with_body.then_some("application/json"),
        "the Platform spec documents request bodies as application/json"
    );
}

fn member_answer() -> serde_json::Value {
    json!({"member": {
        "guid": MEMBER,
        "user_guid": USER,
        "institution_code": "mxbank",
        "connection_status": "CONNECTED",
        "is_being_aggregated": false,
        "use_cases": ["PFM", "SOMETHING_NEW"],
        "most_recent_job_detail_text": null
    }})
}

#[test]
fn environments_are_the_specs_servers() {
    assert_eq!(
        Environment::Integration.base_url(),
        "https://int-api.mx.com"
    );
    assert_eq!(Environment::Production.base_url(), "https://api.mx.com");
    assert_eq!(
        Environment::Custom("http://127.0.0.1:1/platform/".into()).base_url(),
        "http://127.0.0.1:1/platform"
    );
}

#[tokio::test]
async fn create_member_sends_basic_auth_the_vendor_accept_and_json() {
    let server = serve(|_| Reply::json(202, VENDOR, member_answer())).await;
    let body: types::MemberCreateRequestBody = serde_json::from_value(json!({"member": {
        "institution_code": "mxbank",
        "credentials": [
            {"guid": MXBANK_LOGIN, "value": "mxuser"},
            {"guid": MXBANK_PASSWORD, "value": "password"}
        ]
    }}))
    .unwrap();
    let member = client(&server.base)
        .create_member()
        .user_guid(USER)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member
        .unwrap();
    assert_eq!(member.connection_status, Some(ConnectionStatus::Connected));
    // A use case MX adds later decodes instead of failing the answer.
    assert_eq!(
        member.use_cases,
        vec![UseCase::Pfm, UseCase::from("SOMETHING_NEW")]
    );
    let r = &server.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path(), format!("/users/{USER}/members"));
    assert_platform_headers(r, true);
    assert_eq!(
        r.json(),
        json!({"member": {"institution_code": "mxbank", "credentials": [
            {"guid": MXBANK_LOGIN, "value": "mxuser"},
            {"guid": MXBANK_PASSWORD, "value": "password"}
        ]}})
    );
}

/// What the generated request builds itself, on the wire: a header
/// parameter when it is set (and none when it is not), a path parameter
/// percent-encoded as one segment.
#[tokio::test]
async fn header_and_path_parameters_reach_the_wire() {
    let server = serve(|_| Reply::json(202, VENDOR, member_answer())).await;
    let mx = client(&server.base);
    let body = || types::MemberCreateRequestBody {
        member: Some(types::MemberCreateRequest::new("mxbank")),
        ..Default::default()
    };
    mx.create_member()
        .user_guid("USR a/b?c#d%e")
        .x_callback_payload("order-42")
        .body(body())
        .send()
        .await
        .unwrap();
    mx.create_member()
        .user_guid(USER)
        .body(body())
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].path(), "/users/USR%20a%2Fb%3Fc%23d%25e/members");
    assert_eq!(requests[0].header("x-callback-payload"), Some("order-42"));
    assert_platform_headers(&requests[0], true);
    assert_eq!(requests[1].header("x-callback-payload"), None);
    assert_platform_headers(&requests[1], true);
}

#[tokio::test]
async fn operations_the_spec_answers_as_plain_json_or_not_at_all_ask_for_the_vendor_type() {
    let server = serve(|r| match r.method.as_str() {
        "DELETE" => Reply::empty(204),
        _ => Reply::json(
            200,
            "application/json",
            json!({"authorization_code": {"code": "c"}}),
        ),
    })
    .await;
    let mx = client(&server.base);
    mx.delete_member()
        .user_guid(USER)
        .member_guid(MEMBER)
        .send()
        .await
        .unwrap();
    // The spec documents `application/json` for this answer.
    let body: types::AuthorizationCodeRequestBody = serde_json::from_value(json!({})).unwrap();
    mx.request_authorization_code()
        .body(body)
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_platform_headers(&requests[0], false);
    assert_platform_headers(&requests[1], true);
}

#[tokio::test]
async fn bearer_operations_send_the_token_and_no_basic() {
    let server = serve(|_| Reply::json(200, VENDOR, json!({}))).await;
    let mx = Client::builder(Environment::Custom(server.base.clone()), CLIENT_ID, API_KEY)
        .credential(SecurityScheme::BearerAuth, "processor-token-1")
        .build()
        .unwrap();
    mx.request_account_number().send().await.unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.header("authorization"), Some("Bearer processor-token-1"));
    assert_eq!(r.headers.get_all("authorization").iter().count(), 1);
    // Without a token: a typed error, and nothing is sent.
    let err = client(&server.base)
        .request_account_number()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn secrets_never_print() {
    let mx = client("http://127.0.0.1:9");
    let shown = format!("{mx:?}");
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{API_KEY}"));
    for secret in [CLIENT_ID, API_KEY, basic.as_str()] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(shown.contains("[REDACTED]"), "{shown}");
}

#[tokio::test]
async fn errors_are_typed_and_reads_retry() {
    let server = serve(|r| {
        if r.method == "GET" && r.uri.contains("/status") {
            Reply::json(503, VENDOR, json!({"error": {"message": "busy"}}))
        } else {
            Reply::json(401, VENDOR, json!({"error": {"message": "bad auth"}}))
        }
    })
    .await;
    let mx = Client::builder(Environment::Custom(server.base.clone()), CLIENT_ID, API_KEY)
        .retry_policy(mx_client::RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(1),
            ..Default::default()
        })
        .build()
        .unwrap();
    let err = mx.read_user().user_guid(USER).send().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    let err = mx
        .read_member_status()
        .user_guid(USER)
        .member_guid(MEMBER)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    // One read_user, then three status reads (two retries).
    assert_eq!(server.requests().len(), 4);
}

async fn simulator() -> mx_sim::Simulator {
    mx_sim::start_with(
        mx_sim::Config {
            aggregation_time: Duration::from_millis(150),
            job_time: Duration::from_millis(150),
            ..mx_sim::Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap()
}

fn sim_client(sim: &mx_sim::Simulator) -> Client {
    Client::from_environment(
        Environment::Custom(sim.platform_base_url()),
        mx_sim::DEMO_CLIENT_ID,
        mx_sim::DEMO_API_KEY,
    )
    .unwrap()
}

fn mxbank(password: &str) -> types::MemberCreateRequestBody {
    serde_json::from_value(json!({"member": {
        "institution_code": "mxbank",
        "credentials": [
            {"guid": MXBANK_LOGIN, "value": "mxuser"},
            {"guid": MXBANK_PASSWORD, "value": password}
        ]
    }}))
    .unwrap()
}

async fn create(mx: &Client, user: &str, password: &str) -> String {
    mx.create_member()
        .user_guid(user)
        .body(mxbank(password))
        .send()
        .await
        .unwrap()
        .into_inner()
        .member
        .and_then(|m| m.guid)
        .unwrap()
}

/// Polls the member through the lifecycle toolkit until it settles.
async fn settle(mx: &Client, member: &str) -> Settled {
    let config = PollConfig::new()
        .interval(Duration::from_millis(30))
        .deadline(Duration::from_secs(10));
    poll_member(mx.member_fetcher(USER, member), config)
        .await
        .unwrap()
}

#[tokio::test]
async fn simulator_create_poll_connected_accounts_and_transactions() {
    let sim = simulator().await;
    let mx = sim_client(&sim);
    // Wrong credentials: 401, typed.
    let wrong = Client::from_environment(
        Environment::Custom(sim.platform_base_url()),
        mx_sim::DEMO_CLIENT_ID,
        "not-the-key",
    )
    .unwrap();
    let err = wrong.read_user().user_guid(USER).send().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");

    // The seeded Atrium user is a Platform user.
    let user = mx
        .read_user()
        .user_guid(USER)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(user.user.and_then(|u| u.guid).as_deref(), Some(USER));

    let member = create(&mx, USER, "password").await;
    let settled = settle(&mx, &member).await;
    assert!(
        matches!(&settled, Settled::Connected(s) if s.status == Some(ConnectionStatus::Connected)),
        "{settled:?}"
    );

    let accounts: Vec<types::AccountResponse> = mx
        .list_member_accounts()
        .user_guid(USER)
        .member_guid(&member)
        .stream_all()
        .try_collect()
        .await
        .unwrap();
    assert!(!accounts.is_empty());
    assert!(accounts
        .iter()
        .all(|a| a.member_guid.as_deref() == Some(member.as_str())));
    let transactions: Vec<types::TransactionIncludesResponse> = mx
        .list_transactions_by_member()
        .user_guid(USER)
        .member_guid(&member)
        .stream_all()
        .try_collect()
        .await
        .unwrap();
    assert!(!transactions.is_empty());
    assert!(transactions
        .iter()
        .all(|t| t.member_guid.as_deref() == Some(member.as_str())));
}

#[tokio::test]
async fn simulator_mfa_challenge_then_resume_connects() {
    let sim = simulator().await;
    let mx = sim_client(&sim);
    let member = create(&mx, USER, "challenge").await;
    let settled = settle(&mx, &member).await;
    let Settled::Challenged(snapshot) = &settled else {
        panic!("{settled:?}");
    };
    // The status read carries the challenge; the challenges list agrees.
    assert_eq!(snapshot.challenges.len(), 1);
    let Challenges::ToAnswer(asked) = mx.member_challenges(USER, &member).await.unwrap() else {
        panic!("a CHALLENGED member has challenges");
    };
    assert_eq!(asked.len(), 1);
    let answers = Answers::new().text(&asked[0], "correct").unwrap();
    mx.resume_member(USER, &member, &answers).await.unwrap();
    let settled = settle(&mx, &member).await;
    assert!(matches!(settled, Settled::Connected(_)), "{settled:?}");
    assert_eq!(asked[0], snapshot.challenges[0]);
    assert!(matches!(
        mx.member_challenges(USER, &member).await.unwrap(),
        Challenges::NothingToAnswer
    ));
}

/// The Platform's jobs through `run_job`: its 202 is `Accepted` (started,
/// or the same job already running), a job of another type while one runs
/// is `OtherJobRunning` (409), and once it ends another type is accepted.
#[tokio::test]
async fn simulator_jobs_are_accepted_or_refused_while_another_runs() {
    use mx_client::lifecycle::jobs::{Job, JobOutcome};

    let sim = simulator().await;
    let mx = sim_client(&sim);
    let member = create(&mx, USER, "password").await;
    assert!(matches!(settle(&mx, &member).await, Settled::Connected(_)));

    let first = mx.run_job(USER, &member, Job::Aggregate).await.unwrap();
    let JobOutcome::Accepted(body) = &first else {
        panic!("expected Accepted, got {first:?}")
    };
    assert_eq!(
        body.member.as_ref().and_then(|m| m.guid.as_deref()),
        Some(member.as_str())
    );
    let again = mx.run_job(USER, &member, Job::Aggregate).await.unwrap();
    assert!(matches!(again, JobOutcome::Accepted(_)), "{again:?}");
    let other = mx.run_job(USER, &member, Job::Identify).await.unwrap();
    assert_eq!(other, JobOutcome::OtherJobRunning);

    assert!(matches!(settle(&mx, &member).await, Settled::Connected(_)));
    let later = mx.run_job(USER, &member, Job::Identify).await.unwrap();
    assert!(matches!(later, JobOutcome::Accepted(_)), "{later:?}");
}
