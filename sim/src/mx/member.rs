//! A member's MX state (credentials, challenges, outcome) and the
//! transitions of its record: status changes, recorded as events.

use std::time::SystemTime;

use serde_json::Value;

use super::institutions::Institution;
use super::mxbank::{self, Outcome};
use super::world::{Event, MemberRt, World};
use crate::engine::call::{Call, Fail};
use crate::engine::generic;
use crate::store::text;

/// How a member's next aggregation ends.
pub fn outcome(rt: &MemberRt) -> Outcome {
    let Some(institution) = super::institutions::by_code(rt.institution) else {
        return Outcome::Connected;
    };
    if !institution.test_passwords || rt.mfa_passed {
        return Outcome::Connected;
    }
    let password = institution
        .password_guid()
        .and_then(|g| rt.credentials.iter().find(|(c, _)| c == g))
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    mxbank::outcome(password)
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
        super::webhooks::on_status(world, member_guid, status);
    }
    refresh(world, member_guid);
}

/// Members a user has.
pub fn count_of(world: &World, user_guid: &str) -> usize {
    world
        .store
        .count("members", &[("user_guid".into(), user_guid.into())])
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

/// The member the path names, checked to belong to the path's user.
pub fn member_of(world: &World, call: &Call<'_>) -> Result<String, Fail> {
    generic::resolve(&world.store, call)?;
    let guid = call.param("member_guid");
    match world.store.get("members", guid) {
        Some(_) => Ok(guid.to_string()),
        None => Err(Fail::not_found("member", guid)),
    }
}
