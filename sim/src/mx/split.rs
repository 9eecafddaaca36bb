//! Split transactions (both Platform specs, createSplitTransactions and
//! deleteSplitTransactions; MX's page
//! <https://docs.mx.com/api-reference/platform-api-2026/reference/create-split-transactions>):
//! "This endpoint creates two or more child transactions that are branched
//! from a previous transaction … the parent transaction's `has_been_split`
//! field will automatically be updated to true and the child transactions'
//! `parent_guid` will have the transaction guid of the parent. The total
//! amount of the child transactions must equal the amount of the parent
//! transaction. Once a transaction has been split it can't be split
//! again." Deleting the split "deletes all split transactions linked to a
//! parent transaction" and sets `has_been_split` back to false.
//!
//! The Platform's request carries one split (`transactions: {amount, …}`),
//! Nexus's a list; both are taken. The children are the given splits and,
//! when they add up to less than the parent, one more with the rest (the
//! parent's description and category), so that they total the parent.
//!
//! Assumptions (MX names no status): splits adding up to more than the
//! parent, a split of an already split transaction, and a split without a
//! positive amount are refused with 400.

use serde_json::{json, Value};

use super::categories;
use super::lists::object;
use super::world::World;
use crate::engine::call::{Answer, Call, Fail, Reply};
use crate::engine::generic;
use crate::store::{guid, text, Record};

/// Amounts closer than this are equal (cents).
const CENT: f64 = 0.005;

/// The path's transaction (checked against the path's user, member and
/// account): its GUID and record.
fn parent(world: &World, call: &Call<'_>) -> Result<(String, Record), Fail> {
    let (table, id) = generic::addressed(&world.store, call)?;
    let r = world
        .store
        .get(table, id)
        .ok_or_else(|| Fail::not_found("transaction", id))?;
    Ok((id.to_string(), r.clone()))
}

/// The splits the request asks for: one object or a list of them.
fn requested(call: &Call<'_>) -> Vec<Record> {
    match call.body.as_ref().and_then(|b| b.get("transactions")) {
        Some(Value::Array(items)) => items.iter().cloned().map(object).collect(),
        Some(one @ Value::Object(_)) => vec![object(one.clone())],
        _ => Vec::new(),
    }
}

/// A child of `parent` with `amount`, and the request's description, memo
/// and category where given.
fn child(world: &World, parent: &Record, split: &Record, amount: f64) -> Record {
    let mut c = parent.clone();
    let parent_guid = parent.get("guid").cloned();
    c.insert("guid".into(), json!(guid("TRN")));
    c.insert("parent_guid".into(), parent_guid.unwrap_or(Value::Null));
    c.insert("amount".into(), json!(amount));
    c.insert("has_been_split".into(), json!(false));
    for key in ["description", "memo"] {
        if let Some(v) = split.get(key).filter(|v| v.is_string()) {
            c.insert(key.into(), v.clone());
        }
    }
    if let Some(g) = split.get("category_guid").and_then(Value::as_str) {
        let (name, top) = match categories::by_guid(g) {
            Some(d) => (Some(d.name.to_string()), Some((d.top_guid, d.top_name))),
            None => (
                world
                    .store
                    .get("categories", g)
                    .and_then(|r| text(r, "name").map(str::to_string)),
                None,
            ),
        };
        c.insert("category_guid".into(), json!(g));
        c.insert("category".into(), json!(name));
        if let Some((top_guid, top_name)) = top {
            c.insert("top_level_category_guid".into(), json!(top_guid));
            c.insert("top_level_category".into(), json!(top_name));
        }
    }
    c
}

/// `POST /users/{user_guid}/transactions/{transaction_guid}/split` (and
/// v20250224's by account): the children, answered as `transactions`.
pub fn create(world: &mut World, call: &Call<'_>) -> Answer {
    let (parent_guid, parent) = parent(world, call)?;
    if parent.get("has_been_split").and_then(Value::as_bool) == Some(true) {
        return Err(Fail::new(
            400,
            "the transaction has been split: delete its split transactions first",
        ));
    }
    let total = parent.get("amount").and_then(Value::as_f64).unwrap_or(0.0);
    let splits = requested(call);
    let amounts: Vec<f64> = splits
        .iter()
        .map(|s| s.get("amount").and_then(Value::as_f64).unwrap_or(0.0))
        .collect();
    if splits.is_empty() || amounts.iter().any(|a| *a <= 0.0) {
        return Err(Fail::new(400, "each split needs a positive amount"));
    }
    let sum = amounts.iter().fold(0.0, |sum, a| sum + a);
    if sum > total + CENT {
        return Err(Fail::new(
            400,
            format!("the splits total {sum:.2}, more than the transaction's {total:.2}"),
        ));
    }
    let mut children: Vec<Record> = splits
        .iter()
        .zip(&amounts)
        .map(|(s, a)| child(world, &parent, s, *a))
        .collect();
    let rest = ((total - sum) * 100.0).round() / 100.0;
    if rest > CENT {
        children.push(child(world, &parent, &Record::new(), rest));
    }
    if let Some(p) = world.store.get_mut("transactions", &parent_guid) {
        p.insert("has_been_split".into(), json!(true));
    }
    let out = children.iter().cloned().map(Value::Object).collect();
    for c in children {
        world.store.put("transactions", c);
    }
    Ok(call.list(out, None))
}

/// `DELETE …/transactions/{transaction_guid}/split`: removes the children
/// (and what refers to them); 204.
pub fn delete(world: &mut World, call: &Call<'_>) -> Answer {
    let (parent_guid, _) = parent(world, call)?;
    let of_parent = [("parent_guid".to_string(), parent_guid.clone())];
    let children: Vec<String> = world
        .store
        .select("transactions", &of_parent)
        .filter_map(|t| text(t, "guid").map(str::to_string))
        .collect();
    for c in children {
        world.remove("transactions", &c, "transaction_guid");
    }
    if let Some(p) = world.store.get_mut("transactions", &parent_guid) {
        p.insert("has_been_split".into(), json!(false));
    }
    Ok(Reply::Empty(204))
}
