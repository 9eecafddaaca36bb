//! The corrected Atrium answers and the lifecycle glue (`Client::member`,
//! `connect_widget_url`) on the wire, against a recording server on
//! 127.0.0.1.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common::{serve, Reply};
use mx_client::atrium::{types, Client, Environment};
use mx_client::lifecycle::connect_widget::{ConnectWidgetOptions, Mode};
use mx_client::lifecycle::jobs::{Job, JobOutcome};
use mx_client::lifecycle::mfa::{ChallengeKind, Challenges};
use mx_client::lifecycle::oauth::{
    OAuthWindowError, OAuthWindowOptions, ReferralSource, WindowUriError,
};
use mx_client::lifecycle::resume::{Answers, ResumeOutcome, ResumeRefusal};
use mx_client::lifecycle::{PollConfig, Settled};
use mx_client::{ConnectionStatus, Error};
use serde_json::json;

const ATRIUM: &str = "application/vnd.mx.atrium.v1+json";
const USER: &str = "USR-1";
const MEMBER: &str = "MBR-1";

fn client(base: &str) -> Client {
    Client::from_environment(
        Environment::Custom(base.into()),
        mx_client::ClientId::new("client-id"),
        mx_client::ApiKey::new("key"),
    )
    .unwrap()
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

/// The path of each job.
fn action(job: Job) -> &'static str {
    match job {
        Job::Aggregate => "aggregate",
        Job::Balances => "balance",
        Job::ExtendHistory => "extend_history",
        Job::FetchStatements => "fetch_statements",
        Job::Identify => "identify",
        Job::Verify => "verify",
        other => panic!("no path for {other:?}"),
    }
}

#[tokio::test]
async fn every_job_started_already_running_or_blocked() {
    for job in Job::ALL {
        let op = action(job);
        for (status, expect) in [(200, "started"), (202, "already"), (409, "other")] {
            let server = serve(move |_| match status {
                409 => Reply::json(409, ATRIUM, error_json("Another job is running.")),
                s => Reply::json(s, ATRIUM, member_json("CONNECTED", true)),
            })
            .await;
            let outcome = client(&server.base)
                .member(USER, MEMBER)
                .run(job)
                .await
                .unwrap();
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
        let err = client(&server.base)
            .member(USER, MEMBER)
            .run(Job::FetchStatements)
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(!err.to_string().contains("duplicate"), "{err}");
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
    let list = |member: &'static str| c.member(USER, member);
    let got = list(MEMBER).challenges().await.unwrap();
    assert_eq!(
        server.requests()[0].path(),
        format!("/users/{USER}/members/{MEMBER}/challenges")
    );
    let Challenges::ToAnswer(challenges) = got else {
        panic!("{got:?}")
    };
    assert_eq!(challenges[0].kind, ChallengeKind::Text);
    assert_eq!(
        challenges[0].label.as_deref(),
        Some("What city were you born in?")
    );
    assert_eq!(challenges[1].choices(), Some(vec!["phone"]));
    assert_eq!(
        list("MBR-2").challenges().await.unwrap(),
        Challenges::NothingToAnswer
    );
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
        let handle = c.member(USER, member);
        let answers = answers.clone();
        async move { handle.resume(&answers).await.unwrap() }
    };
    let ResumeOutcome::Resumed(m) = resume(MEMBER).await else {
        panic!("not resumed")
    };
    assert_eq!(m.connection_status, Some(ConnectionStatus::Resumed));
    let r = &server.requests()[0];
    assert_eq!(r.method, "PUT");
    assert_eq!(r.path(), format!("/users/{USER}/members/{MEMBER}/resume"));
    assert_eq!(
        r.json(),
        json!({"member": {"challenges": [{"guid": "CRD-1", "value": "correct"}]}})
    );

    assert_eq!(
        resume("MBR-2").await,
        ResumeOutcome::Refused {
            refusal: ResumeRefusal::NotChallenged,
            message: Some("Member is not challenged.".into())
        }
    );
    assert_eq!(
        resume("MBR-3").await,
        ResumeOutcome::Refused {
            refusal: ResumeRefusal::InvalidAnswers,
            message: Some("Invalid answers.".into())
        }
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
    let options = OAuthWindowOptions::new()
        .app("myapp")
        .skip_aggregation(true)
        .client_redirect_url("https://example.com/done".parse().unwrap());
    assert_eq!(options.referral_source, Some(ReferralSource::App));
    let url = c.member(USER, MEMBER).oauth_window(&options).await.unwrap();
    let r = server.only_request();
    assert_eq!(
        r.path(),
        format!("/users/{USER}/members/{MEMBER}/oauth_window_uri")
    );
    assert_eq!(r.query("skip_aggregation").as_deref(), Some("true"));
    assert_eq!(
        r.query("client_redirect_url").as_deref(),
        Some("https%3A%2F%2Fexample.com%2Fdone")
    );
    assert_eq!(r.query("referral_source").as_deref(), Some("APP"));
    assert_eq!(
        r.query("ui_message_webview_url_scheme").as_deref(),
        Some("myapp")
    );
    // Parsed as MX's scheme-less example needs.
    assert_eq!(
        url.as_str(),
        "https://int-widgets.moneydesktop.com/oauth/predirect_to/MBR-1/abc"
    );

    // Unset options are not sent; an answer without a URI is a typed error.
    let server2 = serve(|_| Reply::json(200, ATRIUM, member_json("PENDING", false))).await;
    let err = client(&server2.base)
        .member(USER, MEMBER)
        .oauth_window(&OAuthWindowOptions::new())
        .await
        .unwrap_err();
    assert_eq!(server2.only_request().uri.split_once('?'), None);
    assert!(
        matches!(err, OAuthWindowError::Uri(WindowUriError::Empty)),
        "{err:?}"
    );

    let err = c
        .member(USER, "MBR-2")
        .oauth_window(&OAuthWindowOptions::new())
        .await
        .unwrap_err();
    let OAuthWindowError::Api(err) = err else {
        panic!("{err:?}")
    };
    assert!(matches!(err, Error::BadRequest(_)), "{err:?}");
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
    let options = ConnectWidgetOptions::new()
        .mode(Mode::Verification)
        .update_member(MEMBER);
    let url = client(&server.base)
        .connect_widget_url(USER, &options)
        .await
        .unwrap();
    assert_eq!(
        url.as_str(),
        "https://int-widgets.moneydesktop.com/md/connect/x"
    );
    let r = server.only_request();
    assert_eq!(r.method, "POST");
    assert_eq!(r.path(), format!("/users/{USER}/connect_widget_url"));
    assert_eq!(
        r.json(),
        json!({"mode": "verification", "current_member_guid": MEMBER, "update_credentials": true})
    );

    // An answer without a URL is a typed error naming the field, not a
    // panic; one with a URL that does not parse keeps the parse error.
    let server = serve(|_| Reply::json(200, ATRIUM, json!({"user": {"guid": USER}}))).await;
    let err = client(&server.base)
        .connect_widget_url(USER, &ConnectWidgetOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::InvalidField {
                operation: "get_connect_widget",
                field: "user.connect_widget_url",
                source: None
            }
        ),
        "{err:?}"
    );
    let server = serve(|_| {
        Reply::json(
            200,
            ATRIUM,
            json!({"user": {"guid": USER, "connect_widget_url": "not a url"}}),
        )
    })
    .await;
    let err = client(&server.base)
        .connect_widget_url(USER, &ConnectWidgetOptions::new())
        .await
        .unwrap_err();
    let source = std::error::Error::source(&err).expect("the parse error is kept");
    assert!(source.is::<url::ParseError>(), "{err:?}");
}

/// The poller through Atrium's glue: its status read.
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
    let member = client(&server.base).member(USER, MEMBER);
    // Spawned: the poll future is `Send`.
    let settled = tokio::spawn(async move {
        member
            .poll(PollConfig::new().interval(Duration::from_millis(10)))
            .await
    })
    .await
    .unwrap()
    .unwrap();
    let Settled::Challenged(s) = settled else {
        panic!("{settled:?}")
    };
    assert_eq!(s.challenges[0].guid, "CRD-1");
    assert_eq!(s.challenges[0].kind, ChallengeKind::Text);
    assert_eq!(reads.load(Ordering::SeqCst), 3);
    assert!(server
        .requests()
        .iter()
        .all(|r| r.path() == format!("/users/{USER}/members/{MEMBER}/status")));
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
    let err = client(&server.base)
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
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409));
}
