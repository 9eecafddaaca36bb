//! MX's spending plan of a user (MX's Spending Plan Overview,
//! <https://docs.mx.com/api-reference/platform-api/reference/spending-plan-overview>):
//! the plan, its accounts, its iterations (`current_iteration_number`
//! names "the current active associated spending_plan_iteration") and the
//! current iteration's items.
//!
//! A user gets a plan when its first member connects (or when it creates
//! one); each member's accounts join the user's plans as it connects.
//!
//! Assumptions (MX is silent): an iteration is a calendar month, the first
//! is number 1 and is the current one; a plan tracks the user's
//! aggregated spending accounts (checking, savings, credit card), not
//! investments nor manual accounts (which never aggregate); an item's
//! `actual_amount` is what the user's transactions in its category during
//! the iteration add up to, and those are its `transaction_guids`.

use std::time::SystemTime;

use serde_json::{json, Value};

use super::lists::object;
use super::world::World;
use crate::engine::call::{Answer, Call, Fail};
use crate::engine::generic;
use crate::store::{guid, text, Record};
use crate::time::rfc3339;

/// The account types a spending plan tracks.
const SPENDING: &[&str] = &["CHECKING", "SAVINGS", "CREDIT_CARD"];

/// Creates a plan for `user_guid`, with its first iteration (this month)
/// and the user's spending accounts; answers it.
fn create_plan(world: &mut World, user_guid: &str) -> Record {
    let now = SystemTime::now();
    let stamp = rfc3339(now);
    let plan = guid("SPL");
    let (start_on, end_on) = crate::time::month_of(now);
    world.store.put(
        "iterations",
        object(json!({
            "guid": guid("SPI"), "spending_plan_guid": plan, "user_guid": user_guid,
            "iteration_number": 1, "start_on": start_on, "end_on": end_on,
            "created_at": stamp, "updated_at": stamp,
        })),
    );
    let record = object(json!({
        "guid": plan, "user_guid": user_guid, "current_iteration_number": 1,
        "created_at": stamp, "updated_at": stamp,
    }));
    world.store.put("spending_plans", record.clone());
    add_accounts(world, user_guid, &plan);
    record
}

/// Adds the user's spending accounts that are not in plan `plan` yet.
fn add_accounts(world: &mut World, user_guid: &str, plan: &str) {
    let user = [("user_guid".to_string(), user_guid.to_string())];
    let by_plan = [("spending_plan_guid".to_string(), plan.to_string())];
    let included: Vec<String> = world
        .store
        .select("spending_plan_accounts", &by_plan)
        .filter_map(|a| text(a, "account_guid").map(str::to_string))
        .collect();
    let new: Vec<(String, Option<String>)> = world
        .store
        .select("accounts", &user)
        .filter(|a| text(a, "type").is_some_and(|t| SPENDING.contains(&t)))
        .filter(|a| a.get("is_manual") != Some(&Value::Bool(true)))
        .filter_map(|a| {
            let g = text(a, "guid")?.to_string();
            (!included.contains(&g)).then(|| (g, text(a, "member_guid").map(str::to_string)))
        })
        .collect();
    let stamp = rfc3339(SystemTime::now());
    for (account, member) in new {
        world.store.put(
            "spending_plan_accounts",
            object(json!({
                "guid": guid("SPA"), "spending_plan_guid": plan, "user_guid": user_guid,
                "account_guid": account, "member_guid": member, "client_guid": null,
                "created_at": stamp, "updated_at": stamp,
            })),
        );
    }
}

/// A member of `user_guid` connected: the user has a plan, and its
/// accounts are in the user's plans.
pub fn include(world: &mut World, user_guid: &str) {
    let user = [("user_guid".to_string(), user_guid.to_string())];
    let plans: Vec<String> = world
        .store
        .select("spending_plans", &user)
        .filter_map(|p| text(p, "guid").map(str::to_string))
        .collect();
    if plans.is_empty() {
        create_plan(world, user_guid);
    }
    for plan in plans {
        add_accounts(world, user_guid, &plan);
    }
}

/// `POST /users/{user_guid}/spending_plans`: a new plan, answered as the
/// record itself (MX's schema).
pub fn create(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let plan = create_plan(world, call.param("user_guid"));
    Ok(call.one(200, Value::Object(plan)))
}

/// The iteration `number` (else the current one) of the path's plan
/// (which must be the user's).
fn iteration(world: &World, call: &Call<'_>, number: Option<i64>) -> Result<Record, Fail> {
    let (user, plan_guid) = (call.param("user_guid"), call.param("spending_plan_guid"));
    let plan = world
        .store
        .get("spending_plans", plan_guid)
        .filter(|p| text(p, "user_guid") == Some(user))
        .ok_or_else(|| Fail::not_found("spending_plan", plan_guid))?;
    let number = number
        .or_else(|| plan.get("current_iteration_number").and_then(Value::as_i64))
        .unwrap_or(1);
    let by_plan = [("spending_plan_guid".to_string(), plan_guid.to_string())];
    let found = world
        .store
        .select("iterations", &by_plan)
        .find(|i| i.get("iteration_number").and_then(Value::as_i64) == Some(number))
        .ok_or_else(|| Fail::not_found("iteration", &number.to_string()))?;
    Ok(found.clone())
}

/// `GET …/spending_plans/{spending_plan_guid}/iterations/current`.
pub fn current(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let found = iteration(world, call, None)?;
    Ok(call.one(200, Value::Object(found)))
}

/// `GET …/spending_plans/{spending_plan_guid}/iterations/{iteration_number}`.
pub fn numbered(world: &mut World, call: &Call<'_>) -> Answer {
    let raw = call.param("iteration_number");
    let number = raw
        .parse::<i64>()
        .map_err(|_| Fail::new(400, format!("iteration_number {raw} is not a number")))?;
    if world.store.get("users", call.param("user_guid")).is_none() {
        return Err(Fail::not_found("user", call.param("user_guid")));
    }
    let found = iteration(world, call, Some(number))?;
    Ok(call.one(200, Value::Object(found)))
}

/// MX's item type codes (v20250224: RECURRING_EXPENSE, PLANNED_EXPENSE,
/// OTHER_EXPENSE, INCOME). The request types it a number: a whole number
/// among the codes is kept, anything else is no code (null).
fn item_type(sent: &Value) -> Value {
    match sent.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=3.0).contains(&n) => json!(n as i64),
        _ => Value::Null,
    }
}

/// `POST …/iterations/current/iteration_items`: an item of the current
/// iteration, with the user's transactions in its category this
/// iteration.
pub fn create_item(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let current = iteration(world, call, None)?;
    let body = call.body.as_ref().and_then(Value::as_object);
    let sent = |k: &str| body.and_then(|b| b.get(k)).cloned().unwrap_or(Value::Null);
    let (from, to) = (text(&current, "start_on"), text(&current, "end_on"));
    let category = sent("category_guid");
    let user = [("user_guid".to_string(), call.param("user_guid").to_string())];
    let spent: Vec<&Record> = world
        .store
        .select("transactions", &user)
        .filter(|t| {
            category
                .as_str()
                .is_some_and(|c| text(t, "category_guid") == Some(c))
        })
        .filter(|t| {
            text(t, "date")
                .is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|e| d <= e))
        })
        .collect();
    let actual: f64 = spent
        .iter()
        .filter_map(|t| t.get("amount").and_then(Value::as_f64))
        .fold(0.0, |sum, a| sum + a);
    let stamp = rfc3339(SystemTime::now());
    let item = object(json!({
        "guid": guid("SPT"), "user_guid": call.param("user_guid"),
        "spending_plan_guid": call.param("spending_plan_guid"),
        "spending_plan_iteration_guid": current.get("guid"),
        "category_guid": category, "top_level_category_guid": sent("top_level_category_guid"),
        "scheduled_payment_guid": sent("scheduled_payment_guid"), "item_type": item_type(&sent("item_type")),
        "planned_amount": sent("planned_amount"), "actual_amount": actual,
        "transaction_guids": spent.iter().filter_map(|t| t.get("guid")).collect::<Vec<_>>(),
        "created_at": stamp, "updated_at": stamp,
    }));
    let reply = call.one(200, Value::Object(item.clone()));
    world.store.put("iteration_items", item);
    Ok(reply)
}

/// `PUT …/iterations/current/iteration_items/{iteration_item_guid}`: the
/// item with the fields the request sets (the item type as in a create).
pub fn update_item(world: &mut World, call: &Call<'_>) -> Answer {
    let (table, id) = generic::addressed(&world.store, call)?;
    let sent = call.body.as_ref().and_then(Value::as_object).cloned();
    // Stored again (not changed in place): a changed `*_guid` is a changed
    // reference, which the store's index must follow.
    let mut item = world
        .store
        .get(table, id)
        .cloned()
        .ok_or_else(|| Fail::not_found("iteration_item", id))?;
    for (k, v) in sent.into_iter().flatten() {
        match k.as_str() {
            "item_type" => {
                item.insert(k, item_type(&v));
            }
            "planned_amount"
            | "category_guid"
            | "top_level_category_guid"
            | "scheduled_payment_guid" => {
                item.insert(k, v);
            }
            _ => {}
        }
    }
    item.insert("updated_at".into(), json!(rfc3339(SystemTime::now())));
    let reply = call.one(200, Value::Object(item.clone()));
    world.store.put(table, item);
    Ok(reply)
}
