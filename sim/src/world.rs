//! Everything the simulator holds: the store both APIs share, and the MX
//! state around members (credentials, jobs, challenges, one-time windows,
//! recorded events). Guarded by one mutex: every rule runs atomically.

use std::collections::HashMap;
use std::time::{Instant, SystemTime};

use serde_json::{json, Value};

use crate::mx::jobs::Job;
use crate::mx::member::MemberRt;
use crate::store::Store;

/// A member's status change, kept so that webhooks can be sent later.
#[derive(Debug, Clone)]
pub struct Event {
    pub member_guid: String,
    pub user_guid: String,
    pub connection_status: String,
    pub at: SystemTime,
}

impl Event {
    /// MX's connection-status webhook payload.
    pub fn payload(&self) -> Value {
        json!({
            "action": "CHANGED",
            "type": "MEMBER",
            "connection_status": self.connection_status,
            "member_guid": self.member_guid,
            "user_guid": self.user_guid,
            "at": crate::mx::time::rfc3339(self.at),
        })
    }
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
    /// The user the Nexus session belongs to.
    pub session_user: Option<String>,
}

impl World {
    /// Lets every job that is due finish (called before each request).
    pub fn settle(&mut self, now: Instant) {
        if self.jobs.is_empty() {
            return;
        }
        let due: Vec<String> = self
            .jobs
            .iter()
            .filter(|(_, j)| j.done_at <= now)
            .map(|(g, _)| g.clone())
            .collect();
        for guid in due {
            if let Some(job) = self.jobs.remove(&guid) {
                crate::mx::jobs::finish(self, &guid, job);
            }
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
