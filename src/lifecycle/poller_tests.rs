//! The poller against a scripted fetcher, on tokio's paused clock.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::time::Instant;

use super::*;
use crate::lifecycle::mfa::Challenge;
use crate::ConnectionStatus::{self, *};

fn snap(status: ConnectionStatus, aggregating: bool) -> MemberSnapshot {
    MemberSnapshot {
        guid: Some("MBR-1".into()),
        status: Some(status),
        is_being_aggregated: aggregating,
        challenges: vec![],
    }
}

/// Answers the script in order, then its last entry forever; records when
/// each read happened.
#[derive(Clone)]
struct Script {
    answers: Arc<Mutex<VecDeque<Result<MemberSnapshot, String>>>>,
    reads: Arc<Mutex<Vec<Instant>>>,
}

impl Script {
    fn new(answers: impl IntoIterator<Item = Result<MemberSnapshot, String>>) -> Self {
        Script {
            answers: Arc::new(Mutex::new(answers.into_iter().collect())),
            reads: Arc::default(),
        }
    }

    fn of(snaps: impl IntoIterator<Item = MemberSnapshot>) -> Self {
        Self::new(snaps.into_iter().map(Ok))
    }

    fn fetcher(&self) -> impl FnMut() -> std::future::Ready<Result<MemberSnapshot, String>> {
        let me = self.clone();
        move || {
            me.reads.lock().unwrap().push(Instant::now());
            let mut answers = me.answers.lock().unwrap();
            let next = if answers.len() > 1 {
                answers.pop_front().unwrap()
            } else {
                answers.front().cloned().unwrap()
            };
            std::future::ready(next)
        }
    }

    /// The times of the reads, relative to the first.
    fn read_offsets(&self) -> Vec<Duration> {
        let reads = self.reads.lock().unwrap();
        reads.iter().map(|t| *t - reads[0]).collect()
    }
}

/// A member aggregated from CREATED to CONNECTED.
fn created_to_connected() -> Script {
    Script::of([
        snap(Created, false),
        snap(Created, true),
        snap(Created, true),
        snap(Connected, true),
        snap(Connected, false),
    ])
}

/// The poller's tests run one at a time: a `tracing` subscriber set for one
/// thread (the tracing test) does not reliably see events at callsites that
/// another thread registered at the same time without a subscriber.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn secs(list: &[u64]) -> Vec<Duration> {
    list.iter().map(|s| Duration::from_secs(*s)).collect()
}

#[tokio::test(start_paused = true)]
async fn connected_after_aggregation_every_3_seconds_by_default() {
    let _serial = SERIAL.lock().await;
    let script = created_to_connected();
    let settled = poll_member(script.fetcher(), PollConfig::default())
        .await
        .unwrap();
    assert_eq!(settled, Settled::Connected(snap(Connected, false)));
    assert_eq!(script.read_offsets(), secs(&[0, 3, 6, 9, 12]));
}

#[tokio::test(start_paused = true)]
async fn the_stream_yields_each_change_once_then_the_settled_state() {
    let _serial = SERIAL.lock().await;
    let script = created_to_connected();
    let events: Vec<_> = watch_member(script.fetcher(), PollConfig::default())
        .collect()
        .await;
    let events: Vec<PollEvent> = events.into_iter().map(Result::unwrap).collect();
    assert_eq!(
        events,
        vec![
            PollEvent::Changed(snap(Created, false)),
            PollEvent::Changed(snap(Created, true)),
            PollEvent::Changed(snap(Connected, true)),
            PollEvent::Settled(Settled::Connected(snap(Connected, false))),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn challenged_stops_and_hands_back_the_challenges() {
    let _serial = SERIAL.lock().await;
    let challenge: Challenge = serde_json::from_value(serde_json::json!({
        "guid": "CRD-1", "label": "What city were you born in?", "type": "TEXT"
    }))
    .unwrap();
    let challenged = MemberSnapshot {
        challenges: vec![challenge.clone()],
        ..snap(Challenged, true)
    };
    let script = Script::of([
        snap(Created, true),
        challenged.clone(),
        snap(Connected, false),
    ]);
    let settled = poll_member(script.fetcher(), PollConfig::default())
        .await
        .unwrap();
    let Settled::Challenged(s) = settled else {
        panic!("{settled:?}")
    };
    assert_eq!(s.challenges, vec![challenge]);
    // It stopped there: the CONNECTED answer was never read.
    assert_eq!(script.read_offsets().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn an_error_status_settles_only_once_aggregation_ended() {
    let _serial = SERIAL.lock().await;
    let script = Script::of([snap(Created, true), snap(Denied, true), snap(Denied, false)]);
    let settled = poll_member(script.fetcher(), PollConfig::default())
        .await
        .unwrap();
    assert_eq!(
        settled,
        Settled::Error {
            status: Denied,
            class: StatusClass::UserMustFix,
            snapshot: snap(Denied, false),
        }
    );
    assert_eq!(script.read_offsets().len(), 3);

    // A wrong MFA answer: the end user must answer again.
    let script = Script::of([snap(Resumed, true), snap(Rejected, false)]);
    let settled = poll_member(script.fetcher(), PollConfig::default())
        .await
        .unwrap();
    assert!(matches!(
        settled,
        Settled::Error {
            status: Rejected,
            class: StatusClass::NeedsEndUser(EndUserStep::Mfa),
            ..
        }
    ));

    let script = Script::of([snap(Degraded, false)]);
    let settled = poll_member(script.fetcher(), PollConfig::default())
        .await
        .unwrap();
    assert!(matches!(
        settled,
        Settled::Error {
            status: Degraded,
            class: StatusClass::RetryLater,
            ..
        }
    ));
}

#[tokio::test(start_paused = true)]
async fn oauth_waits_for_aggregation_to_go_true_then_false() {
    let _serial = SERIAL.lock().await;
    // A CONNECTED member re-authorizing: CONNECTED before the user acts.
    let script = Script::of([
        snap(Connected, false),
        snap(Pending, false),
        snap(Pending, false),
        snap(Pending, true),
        snap(Connected, true),
        snap(Connected, false),
    ]);
    let settled = poll_member(script.fetcher(), PollConfig::new().oauth(true))
        .await
        .unwrap();
    assert_eq!(settled, Settled::Connected(snap(Connected, false)));
    assert_eq!(script.read_offsets(), secs(&[0, 3, 6, 9, 12, 15]));

    // OAuth finished but the connection failed.
    let script = Script::of([
        snap(Pending, false),
        snap(Pending, true),
        snap(Denied, false),
    ]);
    let settled = poll_member(script.fetcher(), PollConfig::new().oauth(true))
        .await
        .unwrap();
    assert!(matches!(settled, Settled::Error { status: Denied, .. }));

    // Without OAuth rules, the first CONNECTED read settles.
    let script = Script::of([snap(Connected, false), snap(Pending, false)]);
    poll_member(script.fetcher(), PollConfig::new())
        .await
        .unwrap();
    assert_eq!(script.read_offsets().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_abandoned_oauth_ends_at_the_deadline_with_the_last_read() {
    let _serial = SERIAL.lock().await;
    let script = Script::of([snap(Pending, false)]);
    let start = Instant::now();
    let err = poll_member(
        script.fetcher(),
        PollConfig::new().deadline(Duration::from_secs(30)),
    )
    .await
    .unwrap_err();
    let PollError::Deadline { waited, last } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*waited, Duration::from_secs(30));
    assert_eq!(last.as_ref(), Some(&snap(Pending, false)));
    assert_eq!(start.elapsed(), Duration::from_secs(30));
    // Reads at 0, 3, …, 30: the last one at the deadline itself.
    assert_eq!(script.read_offsets().len(), 11);
    assert_eq!(
        err.to_string(),
        "the member did not settle within 30s (last status PENDING)"
    );
}

#[tokio::test(start_paused = true)]
async fn the_deadline_cuts_the_last_interval_short() {
    let _serial = SERIAL.lock().await;
    let script = Script::of([snap(Created, true)]);
    let config = PollConfig::new()
        .interval(Duration::from_secs(4))
        .deadline(Duration::from_secs(10));
    let err = poll_member(script.fetcher(), config).await.unwrap_err();
    assert!(matches!(err, PollError::Deadline { .. }));
    assert_eq!(script.read_offsets(), secs(&[0, 4, 8, 10]));
}

#[tokio::test(start_paused = true)]
async fn a_failed_read_ends_polling_with_its_error() {
    let _serial = SERIAL.lock().await;
    let script = Script::new([Ok(snap(Created, true)), Err("503".to_string())]);
    let events: Vec<_> = watch_member(script.fetcher(), PollConfig::default())
        .collect()
        .await;
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[0].as_ref().unwrap(),
        &PollEvent::Changed(snap(Created, true))
    );
    assert!(matches!(&events[1], Err(PollError::Fetch(e)) if e == "503"));
}

#[tokio::test(start_paused = true)]
async fn a_configured_interval_is_used() {
    let _serial = SERIAL.lock().await;
    let script = Script::of([
        snap(Updated, true),
        snap(Resumed, true),
        snap(Connected, false),
    ]);
    poll_member(
        script.fetcher(),
        PollConfig::new().interval(Duration::from_millis(500)),
    )
    .await
    .unwrap();
    assert_eq!(
        script.read_offsets(),
        vec![
            Duration::ZERO,
            Duration::from_millis(500),
            Duration::from_secs(1)
        ]
    );
}

/// Collects what a `tracing` subscriber writes.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn each_change_is_a_tracing_event_and_the_deadline_a_warning() {
    let _serial = SERIAL.lock().await;
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    poll_member(created_to_connected().fetcher(), PollConfig::default())
        .await
        .unwrap();
    let out = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    // CREATED, CREATED aggregating, CONNECTED aggregating, CONNECTED: four
    // changes; the repeated read is not logged at INFO.
    assert_eq!(out.matches("member status changed").count(), 4, "{out}");
    assert!(out.contains("MBR-1") && out.contains("CONNECTED"), "{out}");
    assert!(out.contains("mx_client::lifecycle"), "{out}");

    let script = Script::of([snap(Pending, false)]);
    poll_member(
        script.fetcher(),
        PollConfig::new().deadline(Duration::from_secs(3)),
    )
    .await
    .unwrap_err();
    let out = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        out.contains("WARN") && out.contains("did not settle"),
        "{out}"
    );
}
