//! Microdeposits of a user (MX's Microdeposits Overview,
//! <https://docs.mx.com/api-reference/platform-api/reference/microdeposits>,
//! and Create a Microdeposit,
//! <https://docs.mx.com/api-reference/platform-api/reference/create-microdeposit>):
//! a create answers "the new microdeposit record with a status of
//! INITIATED or PREINITIATED" (pre-initiating sends only `email`,
//! `first_name` and `last_name`); a verification that succeeds makes it
//! VERIFIED, with `verified_at`.
//!
//! One microdeposit is answered as one `micro_deposit` object (MX's pages;
//! the overlays of both specs); the list operation of both versions,
//! `GET /users/{user_guid}/micro_deposits` (listUserMicrodeposits),
//! answers `micro_deposits`, the records themselves, with `pagination`
//! (its schema, MicrodepositsResponseBody). MX's one list page with an
//! example, Nexus's List Microdeposits
//! (<https://docs.mx.com/api-reference/nexus/reference/list-microdeposits>),
//! shows the same fields on each record.
//!
//! Assumptions (MX is silent): the institution of a microdeposit is MX
//! Bank when its routing number is the one MX's examples give MX Bank
//! (091000019, also MX Bank's in the simulator's account numbers), else
//! unknown (null, "for institutions which are not in the MX system"); a
//! verification succeeds whatever the amounts.

use std::time::SystemTime;

use serde_json::{json, Value};

use super::lists::object;
use super::world::World;
use crate::engine::call::{Answer, Call, Fail};
use crate::engine::generic;
use crate::store::{guid, text};
use crate::time::rfc3339;

/// The routing number of MX Bank in MX's examples.
const MXBANK_ROUTING: &str = "091000019";

/// The fields a create keeps.
const FIELDS: &[&str] = &[
    "account_name",
    "account_number",
    "account_type",
    "email",
    "first_name",
    "last_name",
    "routing_number",
];

/// `POST /users/{user_guid}/micro_deposits`.
pub fn create(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let inner = call.inner();
    let mut md = object(json!({
        "guid": guid("MIC"), "user_guid": call.param("user_guid"),
        "error_code": null, "error_message": null, "verified_at": null,
    }));
    for k in FIELDS {
        md.insert(k.to_string(), inner.get(*k).cloned().unwrap_or(Value::Null));
    }
    let pre = ["account_number", "routing_number"]
        .iter()
        .all(|k| md.get(*k).is_none_or(Value::is_null));
    let mxbank = text(&md, "routing_number") == Some(MXBANK_ROUTING);
    let stamp = rfc3339(SystemTime::now());
    md.extend(object(json!({
        "status": if pre { "PREINITIATED" } else { "INITIATED" },
        "institution_code": mxbank.then_some("mxbank"),
        "institution_name": mxbank.then_some("MX Bank"),
        "created_at": stamp, "updated_at": stamp,
    })));
    let reply = call.one(200, Value::Object(md.clone()));
    world.store.put("micro_deposits", md);
    Ok(reply)
}

/// `GET /users/{user_guid}/account_verifications` ("List all
/// verifications for a user": "the account verifications associated with
/// the user, as well as the status of those verifications"): the user's
/// microdeposit, as the one `micro_deposit` object the overlays type the
/// answer (MicrodepositResponseBody); `null` when the user has none.
/// Assumption (MX's sources disagree on one or a list): the one answered
/// is the user's most recent microdeposit.
pub fn verifications(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let latest = world
        .store
        .select("micro_deposits", &generic::filters(call))
        .last()
        .map_or(Value::Null, |r| Value::Object(r.clone()));
    Ok(call.one(200, latest))
}

/// `PUT /micro_deposits/{micro_deposit_guid}/verify`: the deposit amounts
/// verify the microdeposit.
pub fn verify(world: &mut World, call: &Call<'_>) -> Answer {
    let (table, id) = generic::addressed(&world.store, call)?;
    let md = world
        .store
        .get_mut(table, id)
        .ok_or_else(|| Fail::not_found("micro_deposit", id))?;
    let stamp = rfc3339(SystemTime::now());
    md.insert("status".into(), json!("VERIFIED"));
    md.insert("verified_at".into(), json!(stamp));
    md.insert("updated_at".into(), json!(stamp));
    Ok(call.one(200, Value::Object(md.clone())))
}
