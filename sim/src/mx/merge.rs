//! Merge accounts (v20250224, `POST /users/{user_guid}/accounts/merge`):
//! "Merge two or more financial accounts that an end user has identified
//! as duplicates. Provide at least two account GUIDs belonging to the same
//! user. … The response will return a single consolidated account. Any
//! other accounts you provided that were not included in the response
//! will be deleted" (the spec; `account_guids`: "Must include at least
//! two GUIDs belonging to the same user").
//!
//! Assumptions (MX is silent): the account kept is the first one named;
//! the others are deleted with what hangs on them (they were duplicates of
//! it); fewer than two distinct GUIDs is a 400, a GUID that is not one of
//! the user's accounts a 404 (nothing is deleted then).

use serde_json::Value;

use super::world::World;
use crate::engine::call::{Answer, Call, Fail};
use crate::engine::generic;
use crate::store::text;

/// `POST /users/{user_guid}/accounts/merge`.
pub fn merge(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let user = call.param("user_guid");
    let mut guids: Vec<String> = Vec::new();
    for g in call
        .inner()
        .get("account_guids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let g = g
            .as_str()
            .ok_or_else(|| Fail::new(400, "account_guids are GUIDs"))?;
        if !guids.iter().any(|x| x == g) {
            guids.push(g.to_string());
        }
    }
    if guids.len() < 2 {
        return Err(Fail::new(
            400,
            "account_guids must name at least two accounts",
        ));
    }
    for g in &guids {
        let mine = world
            .store
            .get("accounts", g)
            .is_some_and(|a| text(a, "user_guid") == Some(user));
        if !mine {
            return Err(Fail::not_found("account", g));
        }
    }
    for g in &guids[1..] {
        world.remove("accounts", g, "account_guid");
    }
    let kept = world
        .store
        .get("accounts", &guids[0])
        .ok_or_else(|| Fail::not_found("account", &guids[0]))?;
    Ok(call.one(200, Value::Object(kept.clone())))
}
