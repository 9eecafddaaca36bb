//! MX's notifications of a user (MX's Notifications Overview,
//! <https://docs.mx.com/api-reference/platform-api/reference/notifications>):
//! "The read and list endpoints can return any notification associated
//! with the user, including notifications created by MX for other channels
//! besides PUSH"; "All notifications created through the API will be of
//! notification type API_NOTIFICATION, channel PUSH, and will not be
//! associated to an entity."
//!
//! When a member first connects, MX notifies the user of its credit
//! card's coming payment (notification type 3, DEBT_PAYMENT_REMINDER, in
//! MX's list of types, <https://docs.mx.com/api-reference/nexus/reference/notifications-overview>).
//!
//! Assumptions (MX is silent): an API notification's `notification_type`
//! is null (MX does not publish API_NOTIFICATION's code); it is not
//! delivered yet; `channel` is written as the v20250224 spec's name
//! (`PUSH`), which both versions' overlays type as a string.

use serde_json::{json, Value};

use super::lists::object;
use super::owner::Owner;
use super::world::World;
use crate::engine::call::{Answer, Call, Fail, Reply};
use crate::engine::generic;
use crate::engine::generic::Resources;
use crate::store::{guid, text};

/// MX's notification type DEBT_PAYMENT_REMINDER.
const DEBT_PAYMENT_REMINDER: u32 = 3;

/// A member's notifications, when it first connects: the credit card's
/// payment reminder.
pub fn create(world: &mut World, owner: &Owner) {
    let f = [("member_guid".to_string(), owner.member_guid.clone())];
    let Some(card) = world
        .store
        .select("accounts", &f)
        .find(|a| text(a, "type") == Some("CREDIT_CARD"))
        .cloned()
    else {
        return;
    };
    let name = text(&card, "name").unwrap_or("Credit Card");
    let due_on = text(&card, "payment_due_at")
        .and_then(|d| d.get(..10))
        .unwrap_or_default();
    let stamp = owner.stamp();
    let n = object(json!({
        "guid": guid("NTF"), "user_guid": owner.user_guid, "member_guid": owner.member_guid,
        "notification_type": DEBT_PAYMENT_REMINDER, "channel": "PUSH",
        "subject": format!("Your {name} payment is due soon"),
        "content": format!("Your {name} payment is due on {due_on}."),
        "entity_guid": card.get("guid"), "deep_link_guid": card.get("guid"),
        "threshold": null, "has_been_delivered": true, "delivered_at": stamp,
        "has_been_viewed": false, "created_at": stamp,
    }));
    world.store.put("notifications", n);
}

/// `POST /users/{user_guid}/notifications`: a PUSH notification with the
/// request's `subject` and `content` (v20250224's body
/// `{"notification": {…}}`, v20111101's query parameters).
pub fn create_by_api(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let inner = call.inner();
    let field = |k: &str| {
        inner
            .get(k)
            .and_then(Value::as_str)
            .or_else(|| call.query_str(k))
            .map(str::to_string)
    };
    let (subject, content) = (field("subject"), field("content"));
    if subject.is_none() && content.is_none() {
        return Err(Fail::new(400, "a notification needs a subject or content"));
    }
    let n = object(json!({
        "guid": guid("NTF"), "user_guid": call.param("user_guid"),
        "notification_type": null, "channel": "PUSH", "subject": subject, "content": content,
        "entity_guid": null, "deep_link_guid": null, "threshold": null,
        "has_been_delivered": false, "delivered_at": null, "has_been_viewed": false,
        "created_at": crate::time::rfc3339(std::time::SystemTime::now()),
    }));
    let reply = call.one(200, Value::Object(n.clone()));
    world.store.put("notifications", n);
    Ok(reply)
}

/// `GET /users/{user_guid}/notifications`: the user's notifications,
/// paged, created within `from_date`..`to_date` when given. Both specs
/// leave the list untyped (`items` without `type: array`), so the engine
/// neither finds the list's key nor shapes it: the rule answers
/// `notifications` itself, each record without the simulator's own
/// references.
pub fn list(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let (from, to) = (call.query_str("from_date"), call.query_str("to_date"));
    let user = [("user_guid".to_string(), call.param("user_guid").to_string())];
    let records: Vec<Value> = world
        .store
        .select("notifications", &user)
        .filter(|n| {
            let on = text(n, "created_at").and_then(|c| c.get(..10));
            from.is_none_or(|f| on.is_some_and(|d| d >= f))
                && to.is_none_or(|t| on.is_some_and(|d| d <= t))
        })
        .map(|n| {
            let mut n = n.clone();
            n.remove("user_guid");
            n.remove("member_guid");
            Value::Object(n)
        })
        .collect();
    let (skip, take, _) = world.page(call, records.len());
    let page: Vec<Value> = records.into_iter().skip(skip).take(take).collect();
    Ok(Reply::Json(200, json!({ "notifications": page })))
}
