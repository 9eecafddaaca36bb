//! Everything the simulator holds: the store both APIs share, and the MX
//! state around members (credentials, jobs, challenges, one-time windows,
//! recorded events). Guarded by one mutex: every rule runs atomically.

use std::collections::HashMap;
use std::time::{Instant, SystemTime};

use serde_json::Value;

use crate::store::Store;

/// The aggregation-type jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Aggregate,
    Balance,
    ExtendHistory,
    FetchStatements,
    Identify,
    Verify,
}

/// A running job.
#[derive(Debug, Clone)]
pub struct Job {
    pub kind: JobKind,
    pub guid: String,
    pub started: SystemTime,
    pub done_at: Instant,
}

/// What MX knows of a member beyond its record.
#[derive(Clone)]
pub struct MemberRt {
    /// The API that created it (duplicates are per API).
    pub api: &'static str,
    /// Its institution's code.
    pub institution: &'static str,
    /// (credential guid, value), sorted: the identity of its credentials.
    pub credentials: Vec<(String, String)>,
    /// The challenges to answer while CHALLENGED.
    pub challenges: Vec<Value>,
    /// MFA answered correctly: later aggregations connect.
    pub mfa_passed: bool,
    pub skip_aggregation: bool,
    /// Test data was created on its first connection.
    pub data_loaded: bool,
    /// The last create or update's `X-CALLBACK-PAYLOAD`, echoed in its
    /// webhooks.
    pub callback_payload: Option<String>,
    /// The last create or update said `MX-Skip-Webhook: true`.
    pub skip_webhooks: bool,
}

impl std::fmt::Debug for MemberRt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberRt")
            .field("api", &self.api)
            .field("institution", &self.institution)
            .field(
                "credentials",
                &format_args!("[{} redacted]", self.credentials.len()),
            )
            .field("challenges", &self.challenges.len())
            .field("mfa_passed", &self.mfa_passed)
            .finish_non_exhaustive()
    }
}

/// A member's status change, kept so that webhooks can be sent later.
#[derive(Debug, Clone)]
pub struct Event {
    pub member_guid: String,
    pub user_guid: String,
    pub connection_status: String,
    pub at: SystemTime,
}

#[derive(Debug, Default)]
pub struct World {
    pub store: Store,
    /// MX's state of each member, by member GUID.
    pub members: HashMap<String, MemberRt>,
    /// Running jobs, by member GUID.
    pub jobs: HashMap<String, Job>,
    /// One-time OAuth window tokens → member GUID.
    pub oauth: HashMap<String, String>,
    /// One-time connect widget tokens → (user GUID, expiry).
    pub widgets: HashMap<String, (String, Instant)>,
    pub events: Vec<Event>,
    /// Webhook payloads to send; `None` when no webhook URL is configured
    /// (nothing is kept).
    pub outbox: Option<Vec<Value>>,
    /// The user the Nexus session belongs to.
    pub session_user: Option<String>,
    /// The Platform's processor-token flow: authorization codes not yet
    /// exchanged, and the access tokens issued for them.
    pub processor: super::grants::Grants,
}

impl World {
    /// Takes the jobs that are due by `now`, by member GUID.
    pub fn due_jobs(&mut self, now: Instant) -> Vec<(String, Job)> {
        if self.jobs.is_empty() {
            return Vec::new();
        }
        let due: Vec<String> = self
            .jobs
            .iter()
            .filter(|(_, j)| j.done_at <= now)
            .map(|(g, _)| g.clone())
            .collect();
        due.into_iter()
            .filter_map(|g| self.jobs.remove(&g).map(|j| (g, j)))
            .collect()
    }

    /// Is the session's user (Nexus) still there? A session ends with its
    /// user.
    pub fn session_is_live(&self) -> bool {
        match &self.session_user {
            Some(u) => self.store.get("users", u).is_some(),
            None => true,
        }
    }

    /// Removes a record and what refers to it (`field` names the reference,
    /// `user_guid` for a user); forgets the MX state of removed members.
    pub fn remove(&mut self, table: &str, guid: &str, field: &str) -> bool {
        let Some(gone) = self.store.remove_cascade(table, guid, field) else {
            return false;
        };
        for (t, g) in gone {
            if t == "members" {
                self.members.remove(&g);
                self.jobs.remove(&g);
                self.oauth.retain(|_, m| *m != g);
            }
        }
        true
    }
}

impl crate::engine::generic::Resources for World {
    fn store(&self) -> &Store {
        &self.store
    }

    fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    fn remove(&mut self, table: &str, guid: &str, field: &str) -> bool {
        World::remove(self, table, guid, field)
    }

    fn page(&self, call: &crate::engine::call::Call<'_>, total: usize) -> (usize, usize, Value) {
        super::paging::window(call, total, super::paging::MAX_PER_PAGE)
    }
}
