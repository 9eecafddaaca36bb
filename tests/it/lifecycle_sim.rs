//! The member lifecycle on the simulator, through the generated Atrium
//! client and its glue (`Client::member`): every MX Bank test password and
//! every job outcome.

use std::time::Duration;

use futures_util::StreamExt;
use mx_client::atrium::{types, Client, MemberHandle};
use mx_client::lifecycle::jobs::{Job, JobOutcome};
use mx_client::lifecycle::mfa::{Challenge, ChallengeKind, Challenges};
use mx_client::lifecycle::resume::{Answers, ResumeOutcome, ResumeRefusal};
use mx_client::lifecycle::{EndUserStep, PollConfig, PollEvent, Settled, StatusClass};
use mx_client::ConnectionStatus;
use serde_json::json;

use crate::common::atrium_client;

const JOB: Duration = Duration::from_millis(120);

async fn sim() -> mx_sim::Simulator {
    let config = mx_sim::Config {
        aggregation_time: JOB,
        job_time: JOB,
        ..mx_sim::Config::default()
    };
    mx_sim::start_with(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

fn fast() -> PollConfig {
    PollConfig::new()
        .interval(Duration::from_millis(20))
        .deadline(Duration::from_secs(10))
}

/// A new user with an MX Bank member whose password is `password`, made
/// with the generated calls; the credential GUIDs come from MX Bank's
/// credentials list.
pub async fn mxbank_member(c: &Client, password: &str) -> MemberHandle {
    let user = c
        .create_user()
        .body(serde_json::from_value::<types::UserCreateRequestBody>(json!({"user": {}})).unwrap())
        .send()
        .await
        .unwrap()
        .into_inner()
        .user
        .guid
        .unwrap();
    let fields = c
        .read_institution_credentials()
        .institution_code("mxbank")
        .send()
        .await
        .unwrap()
        .into_inner()
        .credentials;
    let guid_of = |name: &str| {
        fields
            .iter()
            .find(|f| f.field_name.as_deref() == Some(name))
            .and_then(|f| f.guid.clone())
            .unwrap()
    };
    let body: types::MemberCreateRequestBody = serde_json::from_value(json!({"member": {
    "institution_code": "mxbank",
    "credentials": [
        {"guid": guid_of("LOGIN"), "value": "mxuser"},
        {"guid": guid_of("PASSWORD"), "value": password},
    ]}}))
    .unwrap();
    let member = c
        .create_member()
        .user_guid(&user)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(member.connection_status, Some(ConnectionStatus::Created));
    c.member(user, member.guid.unwrap())
}

/// Answers every challenge of `challenges` with `value` (a pick when the
/// challenge takes one).
fn answer_all(challenges: &[Challenge], value: &str) -> Answers {
    challenges
        .iter()
        .fold(Answers::new(), |a, c| match c.choices() {
            Some(_) => a.pick(c, value).unwrap(),
            None => a.text(c, value).unwrap(),
        })
}

#[tokio::test]
async fn each_challenge_password_is_answered_to_connected() {
    let sim = sim().await;
    let c = atrium_client(&sim);
    for (password, want) in [
        ("challenge", "TEXT"),
        ("options", "OPTIONS"),
        ("image", "IMAGE"),
    ] {
        let m = mxbank_member(&c, password).await;
        let Settled::Challenged(s) = m.poll(fast()).await.unwrap() else {
            panic!("{password} did not stop at CHALLENGED")
        };
        assert_eq!(s.status, Some(ConnectionStatus::Challenged));
        let kind = match &s.challenges[0].kind {
            ChallengeKind::Text => "TEXT",
            ChallengeKind::Options(o) => {
                assert!(o.iter().any(|o| o.value == "correct"), "{o:?}");
                "OPTIONS"
            }
            ChallengeKind::Image { data_uri } => {
                assert!(data_uri
                    .as_deref()
                    .unwrap()
                    .starts_with("data:image/png;base64,"));
                "IMAGE"
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(kind, want);
        // The challenges list says the same.
        let Challenges::ToAnswer(listed) = m.challenges().await.unwrap() else {
            panic!("CHALLENGED without challenges")
        };
        assert_eq!(listed, s.challenges);
        let outcome = m.resume(&answer_all(&listed, "correct")).await.unwrap();
        let ResumeOutcome::Resumed(member) = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(member.connection_status, Some(ConnectionStatus::Resumed));
        let Settled::Connected(done) = m.poll(fast()).await.unwrap() else {
            panic!("{password}: not connected after the right answer")
        };
        assert!(!done.is_being_aggregated);
        // Connected: nothing to answer (204), and resume is refused (405).
        assert_eq!(m.challenges().await.unwrap(), Challenges::NothingToAnswer);
        assert!(matches!(
            m.resume(&answer_all(&listed, "correct")).await.unwrap(),
            ResumeOutcome::Refused {
                refusal: ResumeRefusal::NotChallenged,
                message: Some(_)
            }
        ));
    }
}

#[tokio::test]
async fn a_wrong_answer_is_rejected_and_an_empty_one_refused() {
    let sim = sim().await;
    let c = atrium_client(&sim);
    let m = mxbank_member(&c, "challenge").await;
    let Settled::Challenged(s) = m.poll(fast()).await.unwrap() else {
        panic!("not challenged")
    };
    assert_eq!(
        m.resume(&Answers::new()).await.unwrap(),
        ResumeOutcome::Refused {
            refusal: ResumeRefusal::InvalidAnswers,
            message: Some("member.challenges must answer the member's challenges".into())
        }
    );
    m.resume(&answer_all(&s.challenges, "Paris")).await.unwrap();
    let settled = m.poll(fast()).await.unwrap();
    let Settled::Error { status, class, .. } = settled else {
        panic!("{settled:?}")
    };
    assert_eq!(status, ConnectionStatus::Rejected);
    assert_eq!(class, StatusClass::NeedsEndUser(EndUserStep::Mfa));
}

#[tokio::test]
async fn error_passwords_settle_as_typed_errors_and_others_connect() {
    let sim = sim().await;
    let c = atrium_client(&sim);
    for (password, want) in [
        ("UNAUTHORIZED", Some(ConnectionStatus::Denied)),
        ("BAD_REQUEST", Some(ConnectionStatus::Failed)),
        ("any-other-password", None),
    ] {
        let m = mxbank_member(&c, password).await;
        let settled = m.poll(fast()).await.unwrap();
        match (want, settled) {
            (Some(want), Settled::Error { status, class, .. }) => {
                assert_eq!(status, want, "{password}");
                assert_eq!(class, want.class());
                assert!(!matches!(
                    class,
                    StatusClass::Connected | StatusClass::InProgress
                ));
            }
            (None, Settled::Connected(s)) => {
                assert_eq!(s.status, Some(ConnectionStatus::Connected))
            }
            (want, got) => panic!("{password}: wanted {want:?}, got {got:?}"),
        }
    }
}

#[tokio::test]
async fn the_watch_stream_yields_each_change_then_the_settled_state() {
    let sim = sim().await;
    let c = atrium_client(&sim);
    let m = mxbank_member(&c, "UNAUTHORIZED").await;
    let events: Vec<PollEvent> = m
        .watch(fast())
        .map(|e| e.unwrap())
        .collect::<Vec<_>>()
        .await;
    let PollEvent::Changed(first) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(first.status, Some(ConnectionStatus::Created));
    assert!(first.is_being_aggregated);
    assert!(matches!(
        events.last(),
        Some(PollEvent::Settled(Settled::Error {
            status: ConnectionStatus::Denied,
            ..
        }))
    ));
}

#[tokio::test]
async fn every_job_outcome_on_the_simulator() {
    let sim = sim().await;
    let c = atrium_client(&sim);
    let m = mxbank_member(&c, "secret").await;
    assert!(matches!(
        m.poll(fast()).await.unwrap(),
        Settled::Connected(_)
    ));
    for job in Job::ALL {
        let started = m.run(job).await.unwrap();
        let JobOutcome::Started(member) = &started else {
            panic!("{job:?}: {started:?}")
        };
        assert_eq!(member.is_being_aggregated, Some(true), "{job:?}");
        assert!(
            matches!(m.run(job).await.unwrap(), JobOutcome::AlreadyRunning(ref r) if r.guid == member.guid),
            "{job:?} again"
        );
        let other = Job::ALL.into_iter().find(|j| *j != job).unwrap();
        assert_eq!(
            m.run(other).await.unwrap(),
            JobOutcome::OtherJobRunning,
            "{other:?} during {job:?}"
        );
        assert!(matches!(
            m.poll(fast()).await.unwrap(),
            Settled::Connected(_)
        ));
    }
}

#[tokio::test]
async fn oauth_members_refresh_their_window_and_others_are_refused() {
    use mx_client::lifecycle::oauth::OAuthWindowOptions;
    let sim = sim().await;
    let c = atrium_client(&sim);
    let standard = mxbank_member(&c, "secret").await;
    let err = standard
        .oauth_window(&OAuthWindowOptions::new())
        .await
        .unwrap_err();
    let mx_client::lifecycle::oauth::OAuthWindowError::Api(err) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        err.api().and_then(|a| a.message.as_deref()),
        Some("Member cannot use OAuth")
    );

    let body: types::MemberCreateRequestBody = serde_json::from_value(
        json!({"member": {"institution_code": "mxbank_oauth", "is_oauth": true}}),
    )
    .unwrap();
    let created = c
        .create_member()
        .user_guid(standard.user_guid())
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .member;
    assert_eq!(created.connection_status, Some(ConnectionStatus::Pending));
    let first = created.oauth_window_url().unwrap().unwrap();
    let m = c.member(standard.user_guid(), created.guid.unwrap());
    let fresh = m
        .oauth_window(&OAuthWindowOptions::new().skip_aggregation(false))
        .await
        .unwrap();
    assert_ne!(first, fresh, "each window is one-time");
    assert_eq!(fresh.host_str(), Some("127.0.0.1"));
}
