//! The corrected Atrium answers and the lifecycle toolkit on the wire,
//! against a recording server on 127.0.0.1.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common::{serve, Reply};
use mx_client::atrium::{types, Client, Environment};
use mx_client::lifecycle::connect_widget::{ConnectWidgetOptions, Mode};
use mx_client::lifecycle::jobs::JobOutcome;
use mx_client::lifecycle::mfa::{ChallengeKind, Challenges};
use mx_client::lifecycle::resume::{Answers, ResumeRefusal};
use mx_client::lifecycle::{poll_member, MemberSnapshot, PollConfig, Settled};
use mx_client::{ConnectionStatus, Error};
use serde_json::json;

const ATRIUM: &str = "application/vnd.mx.atrium.v1+json";
const USER: &str = "USR-1";
const MEMBER: &str = "MBR-1";

fn client(base: &str) -> Client {
    Client::from_environment(Environment::Custom(base.into()), "key", "client-id").unwrap()
}

fn member_json(status: &str, aggregating: bool) -> serde_json::Value {
    json!({"member": {"guid": MEMBER, "user_guid": USER, "connection_status": status,
        "is_being_aggregated": aggregating, "institution_code": "mxbank"}})
}

fn error_json(message: &str) -> serde_json::Value {
    json!({"error": {"message": message}})
}

/// Atrium's member status read.
async fn read_status(c: &Client) -> Result<types::MemberConnectionStatus, Error> {
    Ok(c.read_member_status()
        .user_guid(USER)
        .member_guid(MEMBER)
        .send()
        .await?
        .into_inner()
        .member)
}

/// Every aggregation-type job, by its operation.
async fn job(c: &Client, op: &str) -> Result<JobOutcome<types::Member>, Error> {
    let member = |b: types::MemberResponseBody| b.member;
    macro_rules! call {
        ($m:ident) => {
            JobOutcome::from_result(
                c.$m().user_guid(USER).member_guid(MEMBER).send().await,
                member,
            )
        };
    }
    match op {
        "aggregate" => call!(aggregate_member),
        "balance" => call!(aggregate_member_balances),
        "extend_history" => call!(extend_history),
        "fetch_statements" => call!(fetch_statements),
        "identify" => call!(identify_member),
        "verify" => call!(verify_member),
        other => panic!("no job {other}"),
    }
}

const JOBS: [&str; 6] = [
    "aggregate",
    "balance",
    "extend_history",
    "fetch_statements",
    "identify",
    "verify",
];

#[tokio::test]
async fn every_job_started_already_running_or_blocked() {
    for op in JOBS {
        for (status, expect) in [(200, "started"), (202, "already"), (409, "other")] {
            let server = serve(move |_| match status {
                409 => Reply::json(409, ATRIUM, error_json("Another job is running.")),
                s => Reply::json(s, ATRIUM, member_json("CONNECTED", true)),
            })
            .await;
            let outcome = job(&client(&server.base), op).await.unwrap();
            let r = server.only_request();
            assert_eq!(r.method, "POST");
            assert_eq!(r.path(), format!("/users/{USER}/members/{MEMBER}/{op}"));
            match (expect, &outcome) {
                ("started", JobOutcome::Started(m))
                | ("already", JobOutcome::AlreadyRunning(m)) => {
                    assert_eq!(m.guid.as_deref(), Some(MEMBER));
                    assert!(m.is_being_aggregated == Some(true));
                }
                ("other", JobOutcome::OtherJobRunning) => {}
                _ => panic!("{op} answering {status} gave {outcome:?}"),
            }
        }
    }
}

#[tokio::test]
async fn fetch_statements_400_and_403_are_errors_not_outcomes() {
    for status in [400, 403] {
        let server = serve(move |_| Reply::json(status, ATRIUM, error_json("no"))).await;
        let err = job(&client(&server.base), "fetch_statements")
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
    }
}

#[tokio::test]
async fn statement_read_decodes_the_statement_key() {
    let server = serve(|_| {
        Reply::json(
            200,
            ATRIUM,
            json!({"statement": {
            "account_guid": "ACT-1", "guid": "STA-1", "member_guid": MEMBER, "user_guid": USER,
            "content_hash": "ab12", "created_at": "2016-10-13T17:57:36+00:00",
            "uri": "/users/USR-1/members/MBR-1/statements/STA-1.pdf"}}),
        )
    })
    .await;
    let s = client(&server.base)
        .read_member_statement()
        .user_guid(USER)
        .member_guid(MEMBER)
        .statement_guid("STA-1")
        .send()
        .await
        .unwrap()
        .into_inner()
        .statement;
    assert_eq!(s.guid.as_deref(), Some("STA-1"));
    assert_eq!(s.account_guid.as_deref(), Some("ACT-1"));
}

#[tokio::test]
async fn mfa_challenges_200_with_nulls_and_204() {
    // A real answer shape, with the nulls MX sends for empty lists.
    let server = serve(|r| {
        if r.uri.contains("MBR-2") {
            return Reply::empty(204);
        }
        Reply::json(
            200,
            ATRIUM,
            json!({"challenges": [
                {"guid": "CRD-1", "label": "What city were you born in?", "type": "TEXT",
                 "options": null, "image_options": null, "image_data": null, "field_name": null},
                {"guid": "CRD-2", "label": "Pick one", "type": "OPTIONS",
                 "options": [{"label": "Phone", "value": "phone"}], "image_options": null}
            ]}),
        )
    })
    .await;
    let c = client(&server.base);
    let list = |member: &'static str| {
        let c = c.clone();
        async move {
            Challenges::from_result(
                c.list_member_mfa_challenges()
                    .user_guid(USER)
                    .member_guid(member)
                    .send()
                    .await,
            )
        }
    };
    let got = list(MEMBER).await.unwrap();
    let Challenges::ToAnswer(challenges) = got else {
        panic!("{got:?}")
    };
    assert_eq!(challenges[0].kind, ChallengeKind::Text);
    assert_eq!(
        challenges[0].label.as_deref(),
        Some("What city were you born in?")
    );
    assert_eq!(challenges[1].choices(), Some(vec!["phone"]));
    assert_eq!(list("MBR-2").await.unwrap(), Challenges::NothingToAnswer);
}

#[tokio::test]
async fn generated_types_decode_null_lists_as_empty() {
    let server = serve(|_| {
        Reply::json(
            200,
            ATRIUM,
            json!({"member": {"guid": MEMBER, "connection_status": "CHALLENGED",
            "is_being_aggregated": false, "challenges": [
                {"guid": "CRD-1", "type": "OPTIONS", "options": null, "image_options": null}]}}),
        )
    })
    .await;
    let m = read_status(&client(&server.base)).await.unwrap();
    assert_eq!(m.challenges.len(), 1);
    assert!(m.challenges[0].options.is_empty());
    assert!(m.challenges[0].image_options.is_empty());

    let server = serve(|_| {
        Reply::json(
            200,
            ATRIUM,
            json!({"member": {"guid": MEMBER, "challenges": null}}),
        )
    })
    .await;
    let m = read_status(&client(&server.base)).await.unwrap();
    assert!(m.challenges.is_empty());

    // An optional object sent as null is absent.
    let server = serve(|_| {
        Reply::json(
            200,
            ATRIUM,
            json!({"members": [{"guid": MEMBER, "connection_status": null}], "pagination": null}),
        )
    })
    .await;
    let page = client(&server.base)
        .list_members()
        .user_guid(USER)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.members.len(), 1);
    assert_eq!(page.pagination, None);
}

#[tokio::test]
async fn resume_sends_the_answers_and_refusals_are_typed() {
    let server = serve(|r| {
        if r.uri.contains("MBR-2") {
            return Reply::json(405, ATRIUM, error_json("Member is not challenged."));
        }
        if r.uri.contains("MBR-3") {
            return Reply::json(400, ATRIUM, error_json("Invalid answers."));
        }
        Reply::json(200, ATRIUM, member_json("RESUMED", true))
    })
    .await;
    let challenge = serde_json::from_value(json!({"guid": "CRD-1", "type": "TEXT"})).unwrap();
    let answers = Answers::new().text(&challenge, "correct").unwrap();
    let c = client(&server.base);
    let resume = |member: &'static str| {
        let body: types::MemberResumeRequestBody = answers.to_body().unwrap();
        let c = c.clone();
        async move {
            c.resume_member()
                .user_guid(USER)
                .member_guid(member)
                .body(body)
                .send()
                .await
        }
    };
    let m = resume(MEMBER).await.unwrap().into_inner().member;
    assert_eq!(m.connection_status, Some(ConnectionStatus::Resumed));
    let r = &server.requests()[0];
    assert_eq!(r.method, "PUT");
    assert_eq!(r.path(), format!("/users/{USER}/members/{MEMBER}/resume"));
    assert_eq!(
        r.json(),
        json!({"member": {"challenges": [{"guid": "CRD-1", "value": "correct"}]}})
    );

    let err: Error = resume("MBR-2").await.unwrap_err();
    assert_eq!(
        ResumeRefusal::from_error(&err),
        Some(ResumeRefusal::NotChallenged)
    );
    let err: Error = resume("MBR-3").await.unwrap_err();
    assert_eq!(
        ResumeRefusal::from_error(&err),
        Some(ResumeRefusal::InvalidAnswers)
    );
}

#[tokio::test]
async fn oauth_window_uri_takes_every_documented_parameter() {
    let server = serve(|r| {
        if r.uri.contains("MBR-2") {
            return Reply::json(400, ATRIUM, error_json("Member cannot use OAuth"));
        }
        Reply::json(
            200,
            ATRIUM,
            json!({"member": {"guid": MEMBER,
            "oauth_window_uri": "int-widgets.moneydesktop.com/oauth/predirect_to/MBR-1/abc"}}),
        )
    })
    .await;
    let c = client(&server.base);
    let m = c
        .read_o_auth_window_uri()
        .user_guid(USER)
        .member_guid(MEMBER)
        .referral_source("APP")
        .ui_message_webview_url_scheme("myapp")
        .skip_aggregation(true)
        .client_redirect_url("https://example.com/done")
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    let r = server.only_request();
    assert_eq!(r.query("skip_aggregation").as_deref(), Some("true"));
    assert_eq!(
        r.query("client_redirect_url").as_deref(),
        Some("https%3A%2F%2Fexample.com%2Fdone")
    );
    assert_eq!(r.query("referral_source").as_deref(), Some("APP"));
    let url =
        mx_client::lifecycle::oauth::window_url(m.oauth_window_uri.as_deref().unwrap()).unwrap();
    assert_eq!(
        url.as_str(),
        "https://int-widgets.moneydesktop.com/oauth/predirect_to/MBR-1/abc"
    );

    let err: Error = c
        .read_o_auth_window_uri()
        .user_guid(USER)
        .member_guid("MBR-2")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(
        err.api().map(|a| a.message.as_deref()),
        Some(Some("Member cannot use OAuth"))
    );
}

#[tokio::test]
async fn connect_widget_options_go_on_the_wire() {
    let server = serve(|_| {
        Reply::json(200, ATRIUM, json!({"user": {"connect_widget_url": "https://int-widgets.moneydesktop.com/md/connect/x", "guid": USER}}))
    })
    .await;
    let body: types::ConnectWidgetRequestBody = ConnectWidgetOptions::new()
        .mode(Mode::Verification)
        .update_member(MEMBER)
        .to_body()
        .unwrap();
    client(&server.base)
        .get_connect_widget()
        .user_guid(USER)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.only_request().json(),
        json!({"mode": "verification", "current_member_guid": MEMBER, "update_credentials": true})
    );
}

/// The poller driven by a closure around Atrium's status read: the glue
/// an API module gives it.
#[tokio::test]
async fn the_poller_follows_an_atrium_member_to_challenged() {
    let reads = Arc::new(AtomicUsize::new(0));
    let counter = reads.clone();
    let server = serve(move |_| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let body = match n {
            0 => json!({"member": {"guid": MEMBER, "connection_status": "CREATED", "is_being_aggregated": false}}),
            1 => json!({"member": {"guid": MEMBER, "connection_status": "CREATED", "is_being_aggregated": true}}),
            _ => json!({"member": {"guid": MEMBER, "connection_status": "CHALLENGED", "is_being_aggregated": true,
                "challenges": [{"guid": "CRD-1", "type": "TEXT", "label": "Code?", "options": null}]}}),
        };
        Reply::json(200, ATRIUM, body)
    })
    .await;
    let c = client(&server.base);
    let fetch = move || {
        let c = c.clone();
        async move {
            let m = read_status(&c).await?;
            let challenges =
                serde_json::from_value(serde_json::to_value(&m.challenges).unwrap()).unwrap();
            Ok::<_, Error>(MemberSnapshot {
                guid: m.guid,
                status: m.connection_status,
                is_being_aggregated: m.is_being_aggregated.unwrap_or(false),
                challenges,
            })
        }
    };
    // Spawned: the poller around a generated client is `Send`.
    let settled = tokio::spawn(poll_member(
        fetch,
        PollConfig::new().interval(Duration::from_millis(10)),
    ))
    .await
    .unwrap()
    .unwrap();
    let Settled::Challenged(s) = settled else {
        panic!("{settled:?}")
    };
    assert_eq!(s.challenges[0].guid, "CRD-1");
    assert_eq!(reads.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn create_user_409_is_a_documented_conflict() {
    let server = serve(|_| {
        Reply::json(
            409,
            ATRIUM,
            error_json("A user with this identifier already exists."),
        )
    })
    .await;
    let err: Error = client(&server.base)
        .create_user()
        .body(
            serde_json::from_value::<types::UserCreateRequestBody>(
                json!({"user": {"identifier": "partner-1"}}),
            )
            .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409));
}
