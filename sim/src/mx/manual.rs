//! Manual accounts and transactions (Create manual account,
//! `POST /users/{user_guid}/accounts`; Create manual transaction,
//! `POST /users/{user_guid}/accounts/{account_guid}/transactions`): the
//! records a user makes by hand, not aggregated. The Platform specs:
//! "This endpoint can only be used to create manual accounts … Since a
//! manual account has no credentials tied to the member, the account will
//! never aggregate"; "manual transactions that are under a manual
//! account". Their `is_manual` is true (aggregated records' are false,
//! `data.rs`).
//!
//! The request names an account's type `account_type` (and
//! `account_subtype`); the account answers it as `type` (`subtype`), the
//! fields of AccountResponse. A manual transaction filed under one of MX's
//! default categories carries its names, as aggregated ones do.
//!
//! Assumptions (MX is silent): a manual account answers no `member_guid`
//! (the specs say MX puts it under a "Manual Institution member", which
//! the simulator does not make); a manual transaction takes its account's
//! `member_guid` when it has one, and is not refused under an aggregated
//! account (MX documents no error for it).

use std::time::SystemTime;

use serde_json::{json, Value};

use super::categories;
use super::lists::object;
use super::world::World;
use crate::engine::call::{Answer, Call};
use crate::engine::generic;
use crate::store::{guid, text};
use crate::time::rfc3339;

/// `POST /users/{user_guid}/accounts`.
pub fn create_account(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let mut a = call.record()?;
    for (asked, answered) in [("account_type", "type"), ("account_subtype", "subtype")] {
        if let Some(v) = a.get(asked).cloned() {
            a.entry(answered).or_insert(v);
        }
    }
    let stamp = rfc3339(SystemTime::now());
    a.extend(object(json!({
        "guid": guid("ACT"), "user_guid": call.param("user_guid"), "is_manual": true,
        "created_at": stamp, "updated_at": stamp,
    })));
    let reply = call.one(200, Value::Object(a.clone()));
    world.store.put("accounts", a);
    Ok(reply)
}

/// `POST /users/{user_guid}/accounts/{account_guid}/transactions`.
pub fn create_transaction(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let account = call.param("account_guid");
    let member = world
        .store
        .get("accounts", account)
        .and_then(|a| text(a, "member_guid"))
        .map(str::to_string);
    let mut t = call.record()?;
    let filed = text(&t, "category_guid").and_then(categories::by_guid);
    let stamp = rfc3339(SystemTime::now());
    t.extend(object(json!({
        "guid": guid("TRN"), "user_guid": call.param("user_guid"), "account_guid": account,
        "member_guid": member, "is_manual": true, "created_at": stamp, "updated_at": stamp,
    })));
    if let Some(c) = filed {
        t.extend(object(json!({
            "category": c.name, "top_level_category": c.top_name,
            "top_level_category_guid": c.top_guid,
        })));
    }
    let reply = call.one(200, Value::Object(t.clone()));
    world.store.put("transactions", t);
    Ok(reply)
}
