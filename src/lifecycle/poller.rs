//! Following a member until its connection settles, with MX's rules:
//!
//! - read no more often than every 3 seconds (Atrium "Read member
//!   connection status"; the Connect widget's `usePollMember` polls every
//!   3000 ms);
//! - CHALLENGED: stop and answer the challenges;
//! - done once the status is CONNECTED and `is_being_aggregated` is false;
//! - an error status once aggregation has ended: stop;
//! - OAuth members: keep reading until `is_being_aggregated` has gone
//!   true → false, the sign the end user finished OAuth (Connect widget
//!   `utilities/pollers.js`); a member that stays PENDING was probably
//!   abandoned, and the overall deadline ends the wait.

use std::time::Duration;

use futures_core::Stream;
use tokio::time::Instant;

use crate::lifecycle::fetch::{MemberFetcher, MemberSnapshot};
use crate::status::{EndUserStep, StatusClass};
use crate::ConnectionStatus;

/// How the poller reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollConfig {
    interval: Duration,
    deadline: Duration,
    oauth: bool,
}

impl PollConfig {
    /// MX's minimum time between two reads of a member.
    pub const MIN_INTERVAL: Duration = Duration::from_secs(3);
    /// The default overall deadline: long enough for an end user to finish
    /// an OAuth flow. MX documents no figure; this is the crate's choice.
    pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(10 * 60);

    /// A read every 3 seconds, a 10-minute deadline, credentials (not
    /// OAuth) rules.
    pub fn new() -> Self {
        PollConfig {
            interval: Self::MIN_INTERVAL,
            deadline: Self::DEFAULT_DEADLINE,
            oauth: false,
        }
    }

    /// The time between two reads. MX asks for no less than
    /// [`MIN_INTERVAL`](Self::MIN_INTERVAL); shorter is for tests and
    /// simulators.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// The overall deadline, counted from the first read.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// OAuth rules: settle only after `is_being_aggregated` has been seen
    /// true and then false (a CONNECTED member re-authorizing through OAuth
    /// is CONNECTED before the end user finishes).
    pub fn oauth(mut self, oauth: bool) -> Self {
        self.oauth = oauth;
        self
    }
}

impl Default for PollConfig {
    fn default() -> Self {
        Self::new()
    }
}

/// How a member's connection settled.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Settled {
    /// CONNECTED, aggregation over.
    Connected(MemberSnapshot),
    /// CHALLENGED: answer the challenges (in the snapshot when the read
    /// carried them; otherwise list them), then poll again.
    Challenged(MemberSnapshot),
    /// Aggregation ended in a status that is neither CONNECTED nor in
    /// progress (e.g. DENIED, REJECTED, DEGRADED); `class` says who can fix
    /// it.
    Error {
        /// The status aggregation ended in.
        status: ConnectionStatus,
        /// The status's class: who can fix it, or whether to retry later.
        class: StatusClass,
        /// The read that settled it.
        snapshot: MemberSnapshot,
    },
}

/// One event of [`watch_member`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PollEvent {
    /// The status or `is_being_aggregated` changed (the first read counts
    /// as a change).
    Changed(MemberSnapshot),
    /// The connection settled; the stream ends after this.
    Settled(Settled),
}

/// Why polling stopped without a settled connection.
#[derive(Debug)]
#[non_exhaustive]
pub enum PollError<E> {
    /// A read failed (the API's own retries already ran).
    Fetch(E),
    /// The deadline passed. `last` is the last read, e.g. PENDING when the
    /// end user probably abandoned OAuth.
    Deadline {
        /// How long polling ran, from the first read.
        waited: Duration,
        /// The last read (`None` when no read came back).
        last: Option<MemberSnapshot>,
    },
}

impl<E: std::fmt::Display> std::fmt::Display for PollError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PollError::Fetch(e) => write!(f, "reading the member failed: {e}"),
            PollError::Deadline { waited, last } => {
                write!(f, "the member did not settle within {waited:?}")?;
                match last.as_ref().and_then(|s| s.status.as_ref()) {
                    Some(s) => write!(f, " (last status {s})"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for PollError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PollError::Fetch(e) => Some(e),
            PollError::Deadline { .. } => None,
        }
    }
}

/// Polls until the member settles and returns how.
pub async fn poll_member<F: MemberFetcher>(
    fetcher: F,
    config: PollConfig,
) -> Result<Settled, PollError<F::Error>> {
    let mut watch = Watch::new(fetcher, config);
    loop {
        if let PollEvent::Settled(s) = watch.next_event().await? {
            return Ok(s);
        }
    }
}

/// Polls as [`poll_member`] does, yielding every change of the status or
/// of `is_being_aggregated`, then the settled state (or the error) last.
pub fn watch_member<F: MemberFetcher>(
    fetcher: F,
    config: PollConfig,
) -> impl Stream<Item = Result<PollEvent, PollError<F::Error>>> {
    futures_util::stream::unfold(Some(Watch::new(fetcher, config)), |watch| async move {
        let mut watch = watch?;
        let event = watch.next_event().await;
        let more = matches!(event, Ok(PollEvent::Changed(_)));
        Some((event, more.then_some(watch)))
    })
}

struct Watch<F> {
    fetcher: F,
    config: PollConfig,
    started: Option<Instant>,
    seen_aggregating: bool,
    last: Option<MemberSnapshot>,
}

impl<F: MemberFetcher> Watch<F> {
    fn new(fetcher: F, config: PollConfig) -> Self {
        Watch {
            fetcher,
            config,
            started: None,
            seen_aggregating: false,
            last: None,
        }
    }

    async fn next_event(&mut self) -> Result<PollEvent, PollError<F::Error>> {
        loop {
            match self.started {
                None => self.started = Some(Instant::now()),
                Some(started) => {
                    let waited = started.elapsed();
                    let Some(left) = self
                        .config
                        .deadline
                        .checked_sub(waited)
                        .filter(|d| !d.is_zero())
                    else {
                        tracing::warn!(
                            target: "mx_client::lifecycle",
                            member = self.last.as_ref().and_then(|s| s.guid.as_deref()),
                            ?waited,
                            "the member did not settle before the deadline"
                        );
                        return Err(PollError::Deadline {
                            waited,
                            last: self.last.take(),
                        });
                    };
                    tokio::time::sleep(self.config.interval.min(left)).await;
                }
            }
            let snap = self.fetcher.fetch().await.map_err(PollError::Fetch)?;
            let changed = self.last.as_ref().is_none_or(|l| {
                l.status != snap.status || l.is_being_aggregated != snap.is_being_aggregated
            });
            let status = snap.status.as_ref().map(ConnectionStatus::as_str);
            if changed {
                tracing::info!(
                    target: "mx_client::lifecycle",
                    member = snap.guid.as_deref(),
                    status,
                    aggregating = snap.is_being_aggregated,
                    "member status changed"
                );
            } else {
                tracing::debug!(target: "mx_client::lifecycle", member = snap.guid.as_deref(), status, "member unchanged");
            }
            self.last = Some(snap.clone());
            if let Some(settled) = self.settle(&snap) {
                return Ok(PollEvent::Settled(settled));
            }
            if changed {
                return Ok(PollEvent::Changed(snap));
            }
        }
    }

    /// MX's rules, applied to one read.
    fn settle(&mut self, snap: &MemberSnapshot) -> Option<Settled> {
        let status = snap.status.as_ref()?;
        if *status == ConnectionStatus::Challenged {
            return Some(Settled::Challenged(snap.clone()));
        }
        if snap.is_being_aggregated {
            self.seen_aggregating = true;
            return None;
        }
        if self.config.oauth && !self.seen_aggregating {
            return None;
        }
        match status.class() {
            StatusClass::Connected => Some(Settled::Connected(snap.clone())),
            StatusClass::InProgress => None,
            // Waiting for the end user at the institution.
            StatusClass::NeedsEndUser(EndUserStep::OAuth) if !self.seen_aggregating => None,
            class => Some(Settled::Error {
                status: status.clone(),
                class,
                snapshot: snap.clone(),
            }),
        }
    }
}

#[cfg(test)]
#[path = "poller_tests.rs"]
mod tests;
