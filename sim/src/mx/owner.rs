//! Whom a connected member's test data belongs to: what every domain's
//! records of it (accounts, insights, notifications, …) are stamped with.

use std::time::SystemTime;

use serde_json::json;

use super::lists::object;
use crate::store::Record;
use crate::time::rfc3339;

/// Whom a member's records belong to, and when they are made.
#[derive(Debug, Clone)]
pub struct Owner {
    pub member_guid: String,
    pub user_guid: String,
    /// Its institution's code.
    pub code: String,
    /// Its institution's name (account names start with it).
    pub bank: &'static str,
    /// When the member first connected: every record's timestamps.
    pub now: SystemTime,
}

impl Owner {
    /// The owner fields of a record of `account`.
    pub fn of(&self, account: &str) -> Record {
        object(json!({
            "account_guid": account, "member_guid": self.member_guid, "user_guid": self.user_guid,
        }))
    }

    /// `now` as MX writes timestamps.
    pub fn stamp(&self) -> String {
        rfc3339(self.now)
    }
}
