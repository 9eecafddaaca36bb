//! MX's insights ("beats"), made from a member's data when it first
//! connects, and the Platform's routes that read what an insight is
//! about. MX: "Insights are cards that are personalized for a user … based
//! on cleansed, transaction data"; "new users may have few or no insights
//! at first" (<https://docs.mx.com/products/experience/insights/>); the
//! fields are the Insights Overview's
//! (<https://docs.mx.com/api-reference/platform-api/reference/insights>).
//!
//! Two insights per member, each following one of MX's templates:
//! - `DebtPaymentReminder` ("notifies users of an upcoming payment for a
//!   liability account": an open account with a positive balance and a
//!   `payment_due_at` in the future, MX Academy's Insights that Guide,
//!   <https://academy.mx.com/hc/en-us/articles/4416110633869-Insights-that-Guide>),
//!   about the credit card and its scheduled payment;
//! - `MonthlyCategoryTotal` (a template the Insights webhook page names,
//!   <https://docs.mx.com/resources/webhooks/insights>), about the Coffee
//!   Shops category, its merchant and transactions.
//!
//! Assumptions (MX is silent): the copy of each card (MX's default texts
//! are customizable and not all published); `client_guid` is null (the
//! simulator has no client record); an insight's scheduled payment is a
//! record of its own (`scheduled_payments`), read only through it.

use serde_json::{json, Map, Value};

use super::lists::{self, object};
use super::owner::Owner;
use super::world::World;
use crate::engine::call::{Answer, Call, Fail};
use crate::engine::generic;
use crate::store::{guid, text, Record};

/// What an insight is about, by table: its internal `associated` field
/// (the answer's schema does not have it, so it is never answered).
type Associated = Map<String, Value>;

/// The guids of `records`, as a JSON list.
fn guids<'a>(records: impl Iterator<Item = &'a Record>) -> Value {
    Value::Array(
        records
            .filter_map(|r| r.get("guid").cloned())
            .collect::<Vec<_>>(),
    )
}

/// A member's records of `table`.
fn of_member(world: &World, owner: &Owner, table: &str) -> Vec<Record> {
    let f = [("member_guid".to_string(), owner.member_guid.clone())];
    world.store.select(table, &f).cloned().collect()
}

/// Stores an insight of `owner`'s about `associated`.
fn put(world: &mut World, owner: &Owner, copy: Value, associated: Associated) {
    let user_id = world
        .store
        .get("users", &owner.user_guid)
        .and_then(|u| u.get("id").cloned());
    let has = |table: &str| {
        associated
            .get(table)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    let stamp = owner.stamp();
    let mut insight = object(json!({
        "guid": guid("BET"), "user_guid": owner.user_guid, "user_id": user_id,
        "member_guid": owner.member_guid, "client_guid": null,
        "active_at": stamp, "created_at": stamp, "updated_at": stamp, "cta_clicked_at": null,
        "has_associated_accounts": has("accounts"),
        "has_associated_categories": has("categories"),
        "has_associated_merchants": has("merchants"),
        "has_associated_scheduled_payments": has("scheduled_payments"),
        "has_associated_transactions": has("transactions"),
        "has_been_displayed": false, "is_dismissed": false,
    }));
    insight.extend(object(copy));
    insight.insert("associated".into(), Value::Object(associated));
    world.store.put("insights", insight);
}

/// A member's insights, when it first connects.
pub fn create(world: &mut World, owner: &Owner) {
    debt_payment_reminder(world, owner);
    monthly_category_total(world, owner, "Coffee Shops");
}

/// The credit card's payment due: a scheduled payment and the insight
/// about it.
fn debt_payment_reminder(world: &mut World, owner: &Owner) {
    let accounts = of_member(world, owner, "accounts");
    let Some(card) = accounts
        .into_iter()
        .find(|a| text(a, "type") == Some("CREDIT_CARD"))
    else {
        return;
    };
    let name = text(&card, "name").unwrap_or("Credit Card").to_string();
    let due = text(&card, "payment_due_at")
        .unwrap_or_default()
        .to_string();
    let due_on = due.get(..10).unwrap_or_default().to_string();
    let amount = card
        .get("minimum_payment")
        .and_then(Value::as_f64)
        .unwrap_or(0.0);
    let stamp = owner.stamp();
    let payment = object(json!({
        "guid": guid("SCP"), "user_guid": owner.user_guid, "member_guid": owner.member_guid,
        "account_guid": card.get("guid"), "amount": amount,
        "description": format!("{name} payment"), "merchant_guid": null,
        "occurs_on": due_on, "recurrence_day": due_on.get(8..10).and_then(|d| d.parse::<u32>().ok()),
        "recurrence_type": "EVERY_MONTH", "transaction_type": "DEBIT",
        "is_completed": false, "is_recurring": true, "created_at": stamp, "updated_at": stamp,
    }));
    let mut associated = Associated::new();
    associated.insert("accounts".into(), json!([card.get("guid")]));
    associated.insert("scheduled_payments".into(), json!([payment.get("guid")]));
    world.store.put("scheduled_payments", payment);
    let copy = json!({
        "template": "DebtPaymentReminder", "title": "Upcoming payment",
        "description": format!("Your {name} payment of ${amount:.2} is due on {due_on}."),
        "micro_title": "Payment due soon",
        "micro_description": format!("${amount:.2} due on {due_on}."),
        "micro_call_to_action": "View account",
    });
    put(world, owner, copy, associated);
}

/// What the member spent in `category` (a default subcategory): its
/// transactions, their merchants, and the insight about them.
fn monthly_category_total(world: &mut World, owner: &Owner, category: &str) {
    let Some(filed) = super::categories::by_name(category) else {
        return;
    };
    let transactions: Vec<Record> = of_member(world, owner, "transactions")
        .into_iter()
        .filter(|t| text(t, "category_guid") == Some(filed.guid.as_str()))
        .collect();
    if transactions.is_empty() {
        return;
    }
    let total: f64 = transactions
        .iter()
        .filter_map(|t| t.get("amount").and_then(Value::as_f64))
        .fold(0.0, |sum, a| sum + a);
    let mut merchants: Vec<Value> = Vec::new();
    for m in transactions.iter().filter_map(|t| t.get("merchant_guid")) {
        if !merchants.contains(m) {
            merchants.push(m.clone());
        }
    }
    let mut associated = Associated::new();
    associated.insert("categories".into(), json!([filed.guid]));
    associated.insert("merchants".into(), Value::Array(merchants));
    associated.insert("transactions".into(), guids(transactions.iter()));
    let copy = json!({
        "template": "MonthlyCategoryTotal", "title": category,
        "description": format!("You've spent ${total:.2} on {category} this month."),
        "micro_title": format!("{category} this month"),
        "micro_description": format!("${total:.2} on {category}."),
        "micro_call_to_action": "View transactions",
    });
    put(world, owner, copy, associated);
}

/// The GUIDs an insight lists for `table`.
fn associated_with<'a>(insight: &'a Record, table: &str) -> &'a [Value] {
    insight
        .get("associated")
        .and_then(|a| a.get(table))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `GET /users/{user_guid}/insights/{insight_guid}/<accounts | categories
/// | merchants | scheduled_payments | transactions>`: what the insight is
/// about, paged.
pub fn associated(world: &mut World, call: &Call<'_>) -> Answer {
    let (_, insight_guid) = generic::addressed(&world.store, call)?;
    let table = call.op.template.last_literal().unwrap_or_default();
    let insight = world
        .store
        .get("insights", insight_guid)
        .ok_or_else(|| Fail::not_found("insight", insight_guid))?;
    let records = lists::by_guids(world, table, associated_with(insight, table));
    Ok(lists::paged(world, call, records))
}

/// `GET /users/{user_guid}/accounts/{account_guid}/insights`,
/// `GET /users/{user_guid}/transactions/{transaction_guid}/insights`: the
/// user's insights about that record, paged.
pub fn about(world: &mut World, call: &Call<'_>) -> Answer {
    let (table, id) = generic::addressed(&world.store, call)?;
    let user = [("user_guid".to_string(), call.param("user_guid").to_string())];
    let records: Vec<Value> = world
        .store
        .select("insights", &user)
        .filter(|i| {
            associated_with(i, table)
                .iter()
                .any(|g| g.as_str() == Some(id))
        })
        .map(|i| Value::Object(i.clone()))
        .collect();
    Ok(lists::paged(world, call, records))
}
