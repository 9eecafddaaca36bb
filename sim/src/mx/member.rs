//! A member's MX state (credentials, challenges, outcome) and the
//! transitions of its record: status changes, recorded as events.

use std::time::SystemTime;

use serde_json::{json, Map, Value};

use super::institutions::Institution;
use super::mxbank::{self, Outcome};
use crate::engine::call::Fail;
use crate::store::{guid, text};
use crate::world::{Event, World};

/// What MX knows of a member beyond its record.
#[derive(Clone)]
pub struct MemberRt {
    /// The API that created it (duplicates are per API).
    pub api: &'static str,
    pub institution: &'static Institution,
    /// (credential guid, value), sorted: the identity of its credentials.
    pub credentials: Vec<(String, String)>,
    /// The challenges to answer while CHALLENGED.
    pub challenges: Vec<Value>,
    /// MFA answered correctly: later aggregations connect.
    pub mfa_passed: bool,
    pub skip_aggregation: bool,
    /// Test data was created on its first connection.
    pub data_loaded: bool,
}

impl std::fmt::Debug for MemberRt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberRt")
            .field("api", &self.api)
            .field("institution", &self.institution.code)
            .field(
                "credentials",
                &format_args!("[{} redacted]", self.credentials.len()),
            )
            .field("challenges", &self.challenges.len())
            .field("mfa_passed", &self.mfa_passed)
            .finish_non_exhaustive()
    }
}

impl MemberRt {
    /// How its next aggregation ends.
    pub fn outcome(&self) -> Outcome {
        if !self.institution.test_passwords || self.mfa_passed {
            return Outcome::Connected;
        }
        let password = self
            .institution
            .password_guid()
            .and_then(|g| self.credentials.iter().find(|(c, _)| c == g))
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        mxbank::outcome(password)
    }
}

/// Credentials from request items (`guid_key` names the GUID field:
/// `guid` in Atrium, `credential_guid` in Nexus), sorted.
pub fn credential_set(items: Option<&Value>, guid_key: &str) -> Vec<(String, String)> {
    let mut set: Vec<(String, String)> = items
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| {
            let field = |k: &str| {
                c.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            (field(guid_key), field("value"))
        })
        .collect();
    set.sort();
    set
}

/// The rules both APIs share for a new member; `Err` is a 400.
pub fn check_new(
    institution: &Institution,
    is_oauth: bool,
    credentials: &[(String, String)],
) -> Result<(), Fail> {
    if is_oauth && !institution.supports_oauth {
        return Err(Fail::new(
            400,
            format!("{} does not support OAuth", institution.name),
        ));
    }
    if !is_oauth && credentials.is_empty() {
        return Err(Fail::new(
            400,
            "credentials are required unless is_oauth is true",
        ));
    }
    if let Some((g, _)) = credentials
        .iter()
        .find(|(g, _)| !institution.credentials.iter().any(|c| c.0 == g))
    {
        return Err(Fail::new(
            400,
            format!("credential {g} is not a credential of {}", institution.name),
        ));
    }
    Ok(())
}

/// MX's legacy Atrium `status`, from the connection status.
fn legacy(status: &str, aggregating: bool) -> &'static str {
    match (status, aggregating) {
        (_, true) => "REQUESTED",
        ("CONNECTED", _) => "COMPLETED",
        ("CHALLENGED", _) => "CHALLENGED",
        ("DENIED", _) => "DENIED",
        ("FAILED", _) => "HALTED",
        _ => "INITIATED",
    }
}

/// Brings a member record's derived fields up to date.
pub fn refresh(world: &mut World, member_guid: &str) {
    let aggregating = world.jobs.contains_key(member_guid);
    if let Some(r) = world.store.get_mut("members", member_guid) {
        let status = text(r, "connection_status").unwrap_or_default().to_string();
        r.insert("is_being_aggregated".into(), aggregating.into());
        r.insert("status".into(), legacy(&status, aggregating).into());
    }
}

/// The events kept: the older half goes when there are more.
const MAX_EVENTS: usize = 100_000;

/// MX's connection statuses (Nexus "Members overview").
pub const STATUSES: &[&str] = &[
    "CREATED",
    "PREVENTED",
    "DENIED",
    "CHALLENGED",
    "REJECTED",
    "LOCKED",
    "CONNECTED",
    "IMPEDED",
    "RECONNECTED",
    "DEGRADED",
    "DISCONNECTED",
    "DISCONTINUED",
    "CLOSED",
    "DELAYED",
    "FAILED",
    "UPDATED",
    "DISABLED",
    "IMPORTED",
    "RESUMED",
    "EXPIRED",
    "IMPAIRED",
    "PENDING",
];

/// Sets a member's connection status, recording the change as an event.
pub fn set_status(world: &mut World, member_guid: &str, status: &str) {
    let Some(r) = world.store.get_mut("members", member_guid) else {
        return;
    };
    let before = text(r, "connection_status").map(str::to_string);
    r.insert("connection_status".into(), status.into());
    let user_guid = text(r, "user_guid").unwrap_or_default().to_string();
    if before.as_deref() != Some(status) {
        if world.events.len() >= MAX_EVENTS {
            world.events.drain(..MAX_EVENTS / 2);
        }
        world.events.push(Event {
            member_guid: member_guid.to_string(),
            user_guid,
            connection_status: status.to_string(),
            at: SystemTime::now(),
        });
    }
    refresh(world, member_guid);
}

/// A new member to store.
pub struct NewMember {
    pub api: &'static str,
    pub user_guid: String,
    pub institution: &'static Institution,
    pub credentials: Vec<(String, String)>,
    pub is_oauth: bool,
    pub skip_aggregation: bool,
    /// The request's other fields kept on the record (identifier, metadata…).
    pub fields: Map<String, Value>,
    /// A status set by the request (test institutions, no credentials).
    pub status: Option<String>,
}

/// Members a user has.
pub fn count_of(world: &World, user_guid: &str) -> usize {
    world
        .store
        .count("members", &[("user_guid".into(), user_guid.into())])
}

/// Is there a member of this user, made through this API, at this
/// institution with the same credentials?
pub fn is_duplicate(world: &World, new: &NewMember) -> bool {
    let filter = [("user_guid".to_string(), new.user_guid.clone())];
    let found = world.store.select("members", &filter).any(|r| {
        let g = text(r, "guid").unwrap_or_default();
        world.members.get(g).is_some_and(|m| {
            m.api == new.api
                && m.institution.code == new.institution.code
                && m.credentials == new.credentials
        })
    });
    found
}

/// Stores a member and starts what MX starts: an OAuth window, or an
/// aggregation unless skipped. Answers its GUID.
pub fn create(world: &mut World, new: NewMember, base: &str, config: &crate::Config) -> String {
    let member_guid = guid("MBR");
    let mut r = new.fields;
    for (k, v) in [
        ("guid", json!(member_guid)),
        ("user_guid", json!(new.user_guid)),
        ("institution_code", json!(new.institution.code)),
        ("institution_guid", json!(new.institution.guid)),
        ("is_oauth", json!(new.is_oauth)),
        ("is_managed_by_user", json!(true)),
        ("is_user_created", json!(true)),
        ("is_being_aggregated", json!(false)),
    ] {
        r.insert(k.into(), v);
    }
    if !r.get("name").is_some_and(Value::is_string) {
        r.insert("name".into(), json!(new.institution.name));
    }
    world.store.put("members", r);
    world.members.insert(
        member_guid.clone(),
        MemberRt {
            api: new.api,
            institution: new.institution,
            credentials: new.credentials,
            challenges: Vec::new(),
            mfa_passed: false,
            skip_aggregation: new.skip_aggregation,
            data_loaded: false,
        },
    );
    if new.is_oauth {
        set_status(world, &member_guid, "PENDING");
        super::windows::new_oauth_window(world, &member_guid, base);
    } else if let Some(s) = new.status {
        set_status(world, &member_guid, &s);
    } else {
        set_status(world, &member_guid, "CREATED");
        if !new.skip_aggregation {
            super::jobs::start(world, &member_guid, super::jobs::JobKind::Aggregate, config);
        }
    }
    member_guid
}

/// A member's record as JSON.
pub fn record(world: &World, member_guid: &str) -> Value {
    world
        .store
        .get("members", member_guid)
        .map(|r| Value::Object(r.clone()))
        .unwrap_or(Value::Null)
}

/// A member's connection status.
pub fn status_of<'a>(world: &'a World, member_guid: &str) -> &'a str {
    world
        .store
        .get("members", member_guid)
        .and_then(|r| text(r, "connection_status"))
        .unwrap_or_default()
}

/// The challenges a member has to answer.
pub fn challenges_of(world: &World, member_guid: &str) -> Vec<Value> {
    world
        .members
        .get(member_guid)
        .map(|m| m.challenges.clone())
        .unwrap_or_default()
}
