//! A user's monthly cash flow profile
//! (`GET`/`PUT /users/{user_guid}/monthly_cash_flow_profile`). MX's
//! Monthly Cash Flow Profile Overview
//! (<https://docs.mx.com/api-reference/nexus/reference/monthly-cash-flow-profiles-overview>):
//! "an analysis of a user's income and expense patterns over time", with
//! `budgeted_expenses` and `budgeted_income` ("The amount of the budgeted
//! expenses/income for the user"), `estimated_goals_contribution` ("The
//! estimated monthly dollar amount allocated for goals calculated from
//! income and budgets"), `goals_contribution`, `guid` (MCF-…),
//! `user_guid` and `uses_estimated_goals_contribution`; an update sets
//! `goals_contribution` and `uses_estimated_goals_contribution` (the
//! request's fields). A user has one profile, which the read and the
//! update answer.
//!
//! Assumptions (MX is silent): the profile exists from the user's first
//! call of either route; the budgeted amounts add up the user's budgets of
//! top-level categories (a sub-category budget is part of its top-level
//! one, MX's Budgets Overview), the Income budget as income; the estimated
//! contribution is income less expenses when that is positive (else
//! null); `goals_contribution` is null until the user sets it.

use serde_json::{json, Map, Value};

use super::categories;
use super::lists::object;
use super::world::World;
use crate::engine::call::{Answer, Call};
use crate::engine::generic;
use crate::store::{guid, text, Record};

/// The table of the profiles (one per user).
const TABLE: &str = "monthly_cash_flow_profiles";

/// The fields an update sets.
const SETTABLE: &[&str] = &["goals_contribution", "uses_estimated_goals_contribution"];

/// `GET /users/{user_guid}/monthly_cash_flow_profile`.
pub fn read(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let profile = profile(world, call.param("user_guid"), Map::new());
    Ok(call.one(200, Value::Object(profile)))
}

/// `PUT /users/{user_guid}/monthly_cash_flow_profile`.
pub fn update(world: &mut World, call: &Call<'_>) -> Answer {
    generic::resolve(&world.store, call)?;
    let profile = profile(world, call.param("user_guid"), sent(call));
    Ok(call.one(200, Value::Object(profile)))
}

/// The fields the update sends. v20111101's spec names the body's wrapper
/// `institution`, v20250224's and MX's pages `monthly_cash_flow_profile`:
/// the spec's wrapper, else MX's.
fn sent(call: &Call<'_>) -> Map<String, Value> {
    let inner = call.inner();
    if !inner.is_empty() {
        return inner;
    }
    call.body
        .as_ref()
        .and_then(|b| b.get("monthly_cash_flow_profile"))
        .and_then(Value::as_object)
        .map(|o| o.iter().filter(|(_, v)| !v.is_null()))
        .map(|o| o.map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// The user's profile (made the first time) with `changes` set and its
/// budgeted amounts as the user's budgets stand; stored and answered.
fn profile(world: &mut World, user: &str, changes: Map<String, Value>) -> Record {
    let filter = [("user_guid".to_string(), user.to_string())];
    let mut p = world
        .store
        .select(TABLE, &filter)
        .next()
        .cloned()
        .unwrap_or_else(|| {
            object(json!({
                "guid": guid("MCF"), "user_guid": user, "goals_contribution": null,
                "uses_estimated_goals_contribution": false,
            }))
        });
    for (k, v) in changes {
        if SETTABLE.contains(&k.as_str()) {
            p.insert(k, v);
        }
    }
    let (income, expenses) = budgeted(world, user);
    let estimated = ((income - expenses) * 100.0).round() / 100.0;
    p.extend(object(json!({
        "budgeted_income": income, "budgeted_expenses": expenses,
        "estimated_goals_contribution": (estimated > 0.0).then_some(estimated),
    })));
    world.store.put(TABLE, p.clone());
    p
}

/// The user's budgeted income and expenses: the amounts of its budgets of
/// top-level categories, Income's as income.
fn budgeted(world: &World, user: &str) -> (f64, f64) {
    let filter = [("user_guid".to_string(), user.to_string())];
    let mut out = (0.0, 0.0);
    for b in world.store.select("budgets", &filter) {
        let top = text(b, "category_guid")
            .and_then(categories::by_guid)
            .filter(|c| c.guid == c.top_guid);
        let amount = b.get("amount").and_then(Value::as_f64).unwrap_or(0.0);
        match top {
            Some(c) if c.name == "Income" => out.0 += amount,
            Some(_) => out.1 += amount,
            None => {}
        }
    }
    out
}
